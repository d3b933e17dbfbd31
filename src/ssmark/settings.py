"""The one settings module. Every knob is an environment variable, parsed strictly.

Secret key: SSMARK_SECRET_KEY if set; otherwise one is generated on first start into
`<var>/secret_key` (mode 0600) and reused, so a clone just runs and no secret is in the code.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ssmark.env import EnvError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
# In a checkout (editable install) this is the repository root.
BASE_DIR = PACKAGE_DIR.parent.parent

VAR_DIR = Path(env_str("SSMARK_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("SSMARK_DEBUG", False)


def _secret_key() -> str:
    configured = env_str("SSMARK_SECRET_KEY", "")
    if configured:
        if len(configured) < 32:
            raise EnvError("SSMARK_SECRET_KEY must be at least 32 characters")
        return configured
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("SSMARK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SSMARK_CSRF_TRUSTED_ORIGINS", [])
# The public address of this installation, used in embed snippets, credentials and e-mails.
SITE_URL = env_str("SSMARK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# True when SSMARK_SITE_URL was not given: `ssmark serve` then warns if it serves elsewhere.
SITE_URL_IS_DEFAULT = not os.environ.get("SSMARK_SITE_URL", "").strip()
# Folders with the IPAex TrueType fonts embedded in every PDF (Debian's are searched after these).
PDF_FONT_DIRS = env_list("SSMARK_PDF_FONT_DIRS", [])

INSTALLED_APPS = [
    # The admin, with its login replaced by the app's sign-in (password + second factor).
    "ssmark.accounts.admin_site.SsmarkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "ssmark.core",
    "ssmark.accounts",
    "ssmark.catalog",
    "ssmark.applications",
    "ssmark.reviews",
    "ssmark.committee",
    "ssmark.licences",
    "ssmark.fees",
    "ssmark.notifications",
    "ssmark.api",
    "ssmark.webhooks",
    "ssmark.operations",
    "ssmark.people",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ssmark.core.language.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ssmark.accounts.middleware.SessionRulesMiddleware",
    "ssmark.core.headers.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ssmark.core.refusals.RefusalMiddleware",
]

ROOT_URLCONF = "ssmark.urls"
WSGI_APPLICATION = "ssmark.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ssmark.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ssmark.sqlite3'}"),
        conn_max_age=env_int("SSMARK_DB_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (the public mark) run while a writer commits; IMMEDIATE makes
    # write transactions take the lock up front instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling: this many failures for one user name (or one address) within the window
# lock further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("SSMARK_LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("SSMARK_LOGIN_FAILURE_WINDOW", 900, minimum=1)
# Invitations: the e-mailed link works once, for this many days.
INVITATION_VALID_DAYS = env_int("SSMARK_INVITATION_DAYS", 7, minimum=1)
# Password reset: at most this many requests per address (4x per client) within the window;
# beyond that nothing is sent and the page answers as for any address.
PASSWORD_RESET_LIMIT = env_int("SSMARK_PASSWORD_RESET_LIMIT", 3, minimum=1)
PASSWORD_RESET_WINDOW_SECONDS = env_int("SSMARK_PASSWORD_RESET_WINDOW", 3600, minimum=1)
PASSWORD_RESET_TIMEOUT = env_int("SSMARK_PASSWORD_RESET_TIMEOUT", 3600, minimum=300)
# The limit above counts per (account, address); these bound one account from any address and
# one address for any account. Second-factor codes are counted per account on their own.
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env_int("SSMARK_LOGIN_FAILURE_LIMIT_ACCOUNT", 20, minimum=1)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("SSMARK_LOGIN_FAILURE_LIMIT_ADDRESS", 20, minimum=1)
LOGIN_CODE_FAILURE_LIMIT = env_int("SSMARK_LOGIN_CODE_FAILURE_LIMIT", 5, minimum=1)
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
SSMARK_TRUSTED_PROXIES = env_int("SSMARK_TRUSTED_PROXIES", 0, minimum=0)
# Staff roles must turn on two-factor sign-in; one-time recovery codes made at enrolment.
SSMARK_STAFF_2FA_REQUIRED = env_bool("SSMARK_STAFF_2FA_REQUIRED", True)
SSMARK_RECOVERY_CODES = env_int("SSMARK_RECOVERY_CODES", 10, minimum=1)
SSMARK_RECOVERY_CODES_WARN = env_int("SSMARK_RECOVERY_CODES_WARN", 2, minimum=0)
# Staff sessions end after this idle time; every session this long after sign-in.
SSMARK_STAFF_IDLE_MINUTES = env_int("SSMARK_STAFF_IDLE_MINUTES", 30, minimum=1)
SSMARK_SESSION_MAX_HOURS = env_int("SSMARK_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SSMARK_SESSION_MAX_HOURS * 3600

SESSION_COOKIE_HTTPONLY = True
# Secure cookies by default whenever the site is served over https.
SESSION_COOKIE_SECURE = env_bool("SSMARK_SECURE_COOKIES", SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SSMARK_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS only when the site is served over https (never in development over http).
SECURE_HSTS_SECONDS = env_int(
    "SSMARK_HSTS_SECONDS", 31536000 if SITE_URL.startswith("https://") else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SSMARK_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SSMARK_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SSMARK_SSL_REDIRECT", False)
# Content-Security-Policy on every page: scripts only from our own static files.
SSMARK_CSP = env_str(
    "SSMARK_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "ssmark_language"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded evidence and reports: outside any web root, served only through authorised views.
EVIDENCE_ROOT = Path(env_str("SSMARK_EVIDENCE_DIR", str(VAR_DIR / "evidence"))).resolve()
MAX_UPLOAD_MB = env_int("SSMARK_MAX_UPLOAD_MB", 20, minimum=1)
MAX_SCAN_REPORT_MB = env_int("SSMARK_MAX_SCAN_REPORT_MB", 1024, minimum=1)
# `ssmark import-registry` / `import-people`: the largest file and the most data rows read.
IMPORT_MAX_MB = env_int("SSMARK_IMPORT_MAX_MB", 10, minimum=1)
IMPORT_MAX_ROWS = env_int("SSMARK_IMPORT_MAX_ROWS", 20000, minimum=1)
# `ssmark restore`: the most an archive may unpack to (all members together, and it must also
# fit the free space of the temporary folder) and the largest manifest read into memory.
RESTORE_MAX_MB = env_int("SSMARK_RESTORE_MAX_MB", 65536, minimum=1)
RESTORE_MANIFEST_MAX_MB = env_int("SSMARK_RESTORE_MANIFEST_MAX_MB", 64, minimum=1)
# All evidence, audit records and statements of one application together (scan reports apart).
SSMARK_APPLICATION_QUOTA_MB = env_int("SSMARK_APPLICATION_QUOTA_MB", 500, minimum=1)
# Reading a scan report (item 2-1-1) runs in a child process under these caps: CPU seconds
# and address space (MB); one JSON record longer than SCAN_MAX_RECORD_KB is refused; a report
# with more findings than SCAN_MAX_FINDINGS is refused. Uploads from the web are read by the
# job worker (`ssmark run-jobs`, started by `ssmark serve`); page size of the findings lists.
SCAN_PARSE_CPU_SECONDS = env_int("SSMARK_SCAN_PARSE_CPU_SECONDS", 60, minimum=1)
SCAN_PARSE_MEMORY_MB = env_int("SSMARK_SCAN_PARSE_MEMORY_MB", 300, minimum=64)
SCAN_MAX_RECORD_KB = env_int("SSMARK_SCAN_MAX_RECORD_KB", 4096, minimum=64)
SCAN_MAX_FINDINGS = env_int("SSMARK_SCAN_MAX_FINDINGS", 2_000_000, minimum=1)
SCAN_PAGE_SIZE = env_int("SSMARK_SCAN_PAGE_SIZE", 50, minimum=5)
SCAN_JOB_STALE_SECONDS = env_int("SSMARK_SCAN_JOB_STALE_SECONDS", 300, minimum=30)
# The longest free text anyone may type in one field (explanations, reasons, incident reports).
TEXT_LIMIT = env_int("SSMARK_TEXT_LIMIT", 20000, minimum=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# An upload larger than FILE_UPLOAD_MAX_MEMORY_SIZE arrives in a temporary file in this folder;
# storing it then moves (renames) that file into EVIDENCE_ROOT rather than copying it (a 1 GB
# scan report: ~3 s of copying saved). A rename needs the same filesystem, hence a folder next
# to the evidence folder by default; SSMARK_UPLOAD_TEMP_DIR must be on the evidence folder's
# filesystem too (elsewhere the move falls back to a copy). Mode 0700 when created here.
UPLOAD_TEMP_DIR = Path(
    env_str("SSMARK_UPLOAD_TEMP_DIR", str(EVIDENCE_ROOT.parent / "uploads-tmp"))
).resolve()
try:
    UPLOAD_TEMP_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
except OSError as exc:
    raise EnvError(
        f"cannot create the upload temporary folder {UPLOAD_TEMP_DIR} ({exc.strerror}); "
        "set SSMARK_UPLOAD_TEMP_DIR to a writable folder on the filesystem of "
        "SSMARK_EVIDENCE_DIR"
    ) from None
FILE_UPLOAD_TEMP_DIR = str(UPLOAD_TEMP_DIR)
# A temporary upload file left there by a server process killed mid-upload is removed once it
# has not been written for this many hours (the scan-report worker sweeps every few minutes;
# `ssmark sweep-uploads` where no worker runs). See ssmark.applications.uploadtemp.
UPLOAD_TEMP_MAX_AGE_HOURS = env_int("SSMARK_UPLOAD_TEMP_MAX_AGE_HOURS", 6, minimum=1)
# Every stored file gets this mode, copied or moved (a moved temporary file would keep 0600).
FILE_UPLOAD_PERMISSIONS = 0o644
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(EVIDENCE_ROOT)},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

EMAIL_HOST = env_str("SSMARK_EMAIL_HOST", "")
# Console (mail printed to the server's output) until an SMTP host is configured.
EMAIL_BACKEND = env_str(
    "SSMARK_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("SSMARK_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("SSMARK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("SSMARK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SSMARK_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("SSMARK_FROM_EMAIL", "ssmark@localhost")

# Data files that replace the shipped ones (each is validated on load); empty = the shipped file.
SSMARK_FEE_SCHEDULE_FILE = env_str("SSMARK_FEE_SCHEDULE_FILE", "")
SSMARK_LICENCE_SCHEME_FILE = env_str("SSMARK_LICENCE_SCHEME_FILE", "")
# The scheme's Ed25519 signing key (PEM); empty = generated on first use into <var>/.
SSMARK_SIGNING_KEY_FILE = env_str("SSMARK_SIGNING_KEY_FILE", "")
# granian for `ssmark serve`: worker processes (0 = one per CPU core), Python threads per
# worker, and an optional access log file ("-" = standard output).
SSMARK_WORKERS = env_int("SSMARK_WORKERS", 0, minimum=0)
SSMARK_THREADS = env_int("SSMARK_THREADS", 2, minimum=1)
SSMARK_ACCESS_LOG = env_str("SSMARK_ACCESS_LOG", "")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# /healthz: a scheduled job whose last successful run is older than this many hours is overdue
# (503 naming it). lapse-licences runs daily, send-notifications and send-webhooks every 10
# minutes.
SSMARK_JOB_MAX_AGE_HOURS = {
    "lapse-licences": env_int("SSMARK_LAPSE_LICENCES_MAX_AGE_HOURS", 26, minimum=1),
    "send-notifications": env_int("SSMARK_SEND_NOTIFICATIONS_MAX_AGE_HOURS", 2, minimum=1),
    "send-webhooks": env_int("SSMARK_SEND_WEBHOOKS_MAX_AGE_HOURS", 2, minimum=1),
}
# The public pages (mark, verification, registry) serve an in-process snapshot of the licence
# table; each process checks the database's change token at most this often (milliseconds).
# A change is visible on every process within this time (the scheme asks for 5 s at most).
SSMARK_PUBLIC_CHECK_MS = env_int("SSMARK_PUBLIC_CHECK_MS", 1000, minimum=0)
if SSMARK_PUBLIC_CHECK_MS > 5000:
    raise EnvError("SSMARK_PUBLIC_CHECK_MS must be at most 5000 (changes visible within 5 s)")
# Cache-Control stale-while-revalidate on the public paths (seconds; 0 = none), for a CDN.
SSMARK_PUBLIC_STALE_SECONDS = env_int("SSMARK_PUBLIC_STALE_SECONDS", 30, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_403_traceback": {"()": "ssmark.core.logfilters.NoTracebackFor403"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_403_traceback"]},
    },
    "root": {"handlers": ["console"], "level": env_str("SSMARK_LOG_LEVEL", "WARNING")},
}

# --- The API (/api/v1/) and webhooks ------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["ssmark.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["ssmark.api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["ssmark.api.auth.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "ssmark.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ssmark API",
    "DESCRIPTION": "Applications, scan reports, reviews, licences, invoices and notifications "
    "of the Internet Connection Service Safe/Secure Mark. Send a personal token as "
    "`Authorization: Bearer <token>` (make one on your security page).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "ssmark.applications.models.ApplicationStatus",
        "LicenceStatusEnum": "ssmark.licences.models.LicenceStatus",
        # Two choice sets share the field name "state" (scan report, scan gate): name one.
        "ScanStateEnum": "ssmark.applications.models.ScanState",
    },
}
# Tokens: default and longest validity (days); requests per minute per token.
SSMARK_API_TOKEN_DAYS = env_int("SSMARK_API_TOKEN_DAYS", 90, minimum=1)
SSMARK_API_TOKEN_MAX_DAYS = env_int("SSMARK_API_TOKEN_MAX_DAYS", 366, minimum=1)
SSMARK_API_RATE_PER_MINUTE = env_int("SSMARK_API_RATE_PER_MINUTE", 120, minimum=1)
SSMARK_API_PAGE_SIZE = env_int("SSMARK_API_PAGE_SIZE", 50, minimum=1)
# Severity bands of scan findings by CVSS base score (the lowest score of each band).
SSMARK_SEVERITY_BANDS = {"critical": 9.0, "high": 7.0, "medium": 4.0, "low": 0.1}
# Webhook delivery: seconds per attempt, attempts before a delivery is given up, the first
# retry's delay (doubling each time), and consecutive failed deliveries that disable an
# endpoint. Loopback/private targets are refused unless allowed (tests, closed networks).
SSMARK_WEBHOOK_TIMEOUT_SECONDS = env_int("SSMARK_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
SSMARK_WEBHOOK_MAX_ATTEMPTS = env_int("SSMARK_WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
SSMARK_WEBHOOK_RETRY_SECONDS = env_int("SSMARK_WEBHOOK_RETRY_SECONDS", 60, minimum=1)
SSMARK_WEBHOOK_DISABLE_AFTER = env_int("SSMARK_WEBHOOK_DISABLE_AFTER", 5, minimum=1)
SSMARK_WEBHOOK_ALLOW_PRIVATE = env_bool("SSMARK_WEBHOOK_ALLOW_PRIVATE", False)
