"""The lean serving path of the public hot paths, in front of Django's WSGI handler.

`ssmark.wsgi.application` is `PublicFastPath(django_application)`. For GET/HEAD of

- `/licences/<number>/mark.svg` (the live mark, 404 image for an unknown number),
- `/licences/<number>/` (the verification page of a known number),
- `/registry/` for a visitor without a session (anonymous),

it answers from the in-process snapshot (ssmark.licences.snapshot) with the same functions the
Django views use (ssmark.licences.public: `mark_answer`, `verify_answer`,
`anonymous_registry_html`), skipping the request object, middleware, sessions, URL resolving
and template rendering (pages are rendered once per snapshot, day and key; the mark's SVG bytes
once per state). Everything else, and any request it is unsure of (an unknown host, a
signed-in visitor, an https redirect to make, an error), goes to Django unchanged. Validity is
still decided per request by date; the snapshot is checked for changes every
SSMARK_PUBLIC_CHECK_MS.

A mark or verification page, once answered, is kept whole (status line, headers, body, and
its 304) on the snapshot, with the inputs it was made from besides the snapshot: today's date
(ssmark.core.clock.today(), read per request), the licence scheme's settings object
(scheme.recent_settings(): an edited scheme file takes effect within a second) and Django's
settings object (another one under override_settings). A repeat request whose inputs are the
same is a few dict lookups; any other input makes the answer again with public.mark_answer /
verify_answer. An answer whose cache lifetime counts down to midnight (a licence's last valid
day) is never kept.

The headers Django's middleware would add are added here too (nosniff, referrer policy,
COOP, X-Frame-Options, HSTS over https, the site's CSP on pages, Content-Language and Vary
on the registry, the CSRF cookie for its language form).
"""

from __future__ import annotations

import datetime
import functools
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse
from django.http.request import split_domain_port, validate_host
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.functional import empty
from django.utils.translation import trans_real

from ssmark.core import clock
from ssmark.core.settingsobject import settings_object

from . import public, snapshot
from . import scheme as scheme_settings

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# What the lean path answers: (status line, header list, body).
WSGIAnswer = tuple[str, list[tuple[str, str]], bytes]

# The mark (group 2 set) or the verification page of a licence number.
LICENCE_PATH = re.compile(r"/licences/([A-Z][0-9]{4,7})/(mark\.svg)?")
STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}
# A visitor carrying the session cookie (SESSION_COOKIE_NAME) or one of these goes through
# Django (signed in; a flash message to show).
DJANGO_COOKIES = ("messages",)
HOSTS_KEPT = 256  # host header checks kept per settings object (emptied when full)


class Site:
    """What the lean path reads of Django's settings, read once per settings object: a setting
    costs ~0.3 µs to read through django.conf.settings, and every request needed several.
    override_settings (and pytest-django's `settings` fixture) installs another settings
    object, so `site()` makes a new Site for it; the headers are made here once. (A setting
    assigned in place at run time, which Django does not support, is not seen.)"""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped  # the object these values were read from (kept alive: `is` holds)
        self.allowed_hosts = wrapped.ALLOWED_HOSTS
        self.proxy_ssl_header = wrapped.SECURE_PROXY_SSL_HEADER
        self.ssl_redirect = wrapped.SECURE_SSL_REDIRECT
        self.session_cookie = wrapped.SESSION_COOKIE_NAME
        self.language_cookie = wrapped.LANGUAGE_COOKIE_NAME
        self.csrf_cookie = wrapped.CSRF_COOKIE_NAME
        self.hosts: dict[str, bool] = {}
        # The headers of Django's middleware, by (secure, page): HSTS over https, the site's
        # CSP on pages.
        hsts: list[tuple[str, str]] = []
        if wrapped.SECURE_HSTS_SECONDS:
            value = f"max-age={wrapped.SECURE_HSTS_SECONDS}"
            if wrapped.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                value += "; includeSubDomains"
            if wrapped.SECURE_HSTS_PRELOAD:
                value += "; preload"
            hsts.append(("Strict-Transport-Security", value))
        policy = getattr(wrapped, "SSMARK_CSP", "")
        csp = [("Content-Security-Policy", policy)] if policy else []
        self.headers = {
            (secure, page): (hsts if secure else []) + (csp if page else [])
            for secure in (False, True)
            for page in (False, True)
        }

    def host_allowed(self, host: str) -> bool:
        allowed = self.hosts.get(host)
        if allowed is None:
            domain, _port = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, self.allowed_hosts)
            if len(self.hosts) >= HOSTS_KEPT:
                self.hosts.clear()
            self.hosts[host] = allowed
        return allowed

    def is_secure(self, environ: dict[str, Any]) -> bool:
        header = self.proxy_ssl_header
        if header:
            name, value = header
            forwarded = environ.get(name)
            if forwarded is not None:
                return bool(forwarded.split(",", 1)[0].strip() == value)
        return bool(environ.get("wsgi.url_scheme") == "https")


_site: Site | None = None


def site() -> Site:
    """The Site of Django's current settings object."""
    global _site
    wrapped = settings_object()
    current = _site
    if current is not None and current.wrapped is wrapped:
        return current
    if wrapped is empty:  # not configured yet: reading a setting does it
        settings.DEBUG  # noqa: B018
        wrapped = settings_object()
    current = _site = Site(wrapped)
    return current


@dataclass(frozen=True, slots=True)
class Kept:
    """A finished answer of the mark or verification page, kept on the snapshot (its rows are
    one input) with its other inputs, compared on every use."""

    today: datetime.date
    scheme: scheme_settings.LicenceScheme
    site: Site
    etag: str | None
    until_midnight: bool  # its headers are right for this second only: not kept
    full: WSGIAnswer
    not_modified: WSGIAnswer | None  # the 304 when If-None-Match matches `etag`


def _wsgi(answer: public.Answer, tail: list[tuple[str, str]]) -> WSGIAnswer:
    return STATUS_LINES[answer.status], answer.header_list() + tail, answer.body


@functools.lru_cache(maxsize=1024)
def _language(cookie: str | None, accept: str) -> str:
    """Django's choice (LocaleMiddleware) for a visitor without a session: the language
    cookie, then Accept-Language, then LANGUAGE_CODE."""
    if cookie:
        try:
            return trans_real.get_supported_language_variant(cookie)
        except LookupError:
            pass
    for code, _q in trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return trans_real.get_supported_language_variant(code)
        except LookupError:
            continue
    return trans_real.get_supported_language_variant(settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=4)
def _csrf_cookie_template(_second: int) -> str:
    """Django's CSRF cookie (as CsrfViewMiddleware sets it) with "{}" for the secret; made
    once a second (its Expires date)."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        "SSMARKSECRETPLACEHOLDER",
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    text = response.cookies[settings.CSRF_COOKIE_NAME].OutputString()
    return text.replace("{", "{{").replace("}", "}}").replace("SSMARKSECRETPLACEHOLDER", "{}")


# CSRF secrets and tokens, as Django makes them, with bytes.translate instead of a Python loop
# per character (~9 µs a page before). The characters are ASCII (letters and digits).
_CHARS = CSRF_ALLOWED_CHARS
_N = len(_CHARS)
_LIMIT = 256 - 256 % _N  # unbiased: random bytes at or above this are dropped
# A random byte below _LIMIT -> the character `b % _N` (as ASCII); the others are deleted.
_BYTE_TO_CHAR = bytes(ord(_CHARS[b % _N]) if b < _LIMIT else 0 for b in range(256))
_BIASED = bytes(range(_LIMIT, 256))
# A character -> its index in _CHARS (other bytes: 255; secrets are checked first); the sum
# of two indices (< 2 * _N) -> the character of the sum modulo _N.
_CHAR_TO_INDEX = bytes(_CHARS.find(chr(b)) % 256 for b in range(256))
_SUM_TO_CHAR = bytes(ord(_CHARS[b % _N]) for b in range(256))
assert 2 * _N <= 256  # (_mask adds two indices per byte)
_SECRET = re.compile(f"[{re.escape(_CHARS)}]{{{CSRF_SECRET_LENGTH}}}")


def _random_chars(count: int) -> bytes:
    """`count` characters of CSRF_ALLOWED_CHARS (as ASCII) from the OS's CSPRNG, uniformly
    (as Django's get_random_string, with one system call instead of one per character)."""
    out = b""
    while len(out) < count:
        out += secrets.token_bytes(2 * count).translate(_BYTE_TO_CHAR, _BIASED)
    return out[:count]


def _mask(secret: str) -> bytes:
    """The form token for `secret` (ASCII): Django's masking (django.middleware.csrf, since
    4.1: a fresh mask, then each character of the secret shifted by the mask's), so every page
    carries a different token."""
    mask = _random_chars(CSRF_SECRET_LENGTH)
    # The indices of the two, added byte by byte in one addition of two integers: each byte's
    # sum is below 2 * _N < 256, so no byte carries into the next.
    secret_at = int.from_bytes(secret.encode("ascii").translate(_CHAR_TO_INDEX))
    mask_at = int.from_bytes(mask.translate(_CHAR_TO_INDEX))
    sums = (secret_at + mask_at).to_bytes(CSRF_SECRET_LENGTH)
    return mask + sums.translate(_SUM_TO_CHAR)


@functools.lru_cache(maxsize=512)
def _page_parts(html: str) -> list[bytes]:
    """A memoised page (the same str object each time, its hash cached) as bytes, split at
    the CSRF placeholder."""
    return [part.encode() for part in html.split(public.CSRF_PLACEHOLDER)]


def _valid_secret(secret: str | None) -> bool:
    return secret is not None and _SECRET.fullmatch(secret) is not None


class PublicFastPath:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO", "")
        if method in ("GET", "HEAD") and (path.startswith("/licences/") or path == "/registry/"):
            try:
                answer = self.answer(environ, path)
            except Exception:  # the full stack answers instead (and reports it)
                logger.exception("public fast path failed for %s", path)
                answer = None
            if answer is not None:
                status, headers, body = answer
                # A copy: the list may be a kept answer's, and a server may add to what it gets.
                start_response(status, headers.copy())
                return [b""] if method == "HEAD" else [body]
        return self.app(environ, start_response)

    def answer(self, environ: dict[str, Any], path: str) -> WSGIAnswer | None:
        here = site()
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not here.host_allowed(host):
            return None
        secure = here.is_secure(environ)
        if here.ssl_redirect and not secure:
            return None  # Django redirects to https
        if path == "/registry/":
            return self.registry(environ, here, secure)
        match = LICENCE_PATH.fullmatch(path)
        if match is None:
            return None
        return self.licence(environ, path, match, here, secure)

    def licence(
        self, environ: dict[str, Any], path: str, match: re.Match[str], here: Site, secure: bool
    ) -> WSGIAnswer | None:
        """The mark or verification page: the kept answer while its inputs are unchanged, else
        made again (and kept) by public.mark_answer / verify_answer."""
        # The inputs, read before the answer is made (which reads them again): what is made is
        # at least as new as what it is kept under, never older.
        snap = snapshot.current()
        today = clock.today()
        scheme = scheme_settings.recent_settings()
        key = (path, secure)
        kept: Kept | None = snap.memo["answers"].get(key)
        if (
            kept is None
            or kept.today != today
            or kept.scheme is not scheme
            or kept.site is not here
        ):
            kept = self.make(match, here, secure, today, scheme)
            if kept is None:
                return None
            if not kept.until_midnight:
                snap.keep(key, kept, "answers")
        # If-None-Match as public.mark_answer / verify_answer decide it (no ETag on a 404).
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if kept.not_modified is not None and public.etag_matches(if_none_match, kept.etag or ""):
            return kept.not_modified
        return kept.full

    @staticmethod
    def make(
        match: re.Match[str],
        here: Site,
        secure: bool,
        today: datetime.date,
        scheme: scheme_settings.LicenceScheme,
    ) -> Kept | None:
        """The answer of the mark or verification page as public.py makes it, with and
        without a matching If-None-Match; None when Django answers (no such licence's page)."""
        number, is_mark = match.group(1), match.group(2) is not None
        answer = public.mark_answer(number) if is_mark else public.verify_answer(number)
        if answer is None:  # Django's bilingual 404 page
            return None
        tail = here.headers[secure, not is_mark]
        return Kept(
            today,
            scheme,
            here,
            answer.etag,
            answer.until_midnight,
            _wsgi(answer, tail),
            _wsgi(answer.not_modified(), tail) if answer.etag else None,
        )

    def registry(self, environ: dict[str, Any], here: Site, secure: bool) -> WSGIAnswer | None:
        cookies = SimpleCookie()
        raw_cookie = environ.get("HTTP_COOKIE", "")
        if raw_cookie:
            try:
                cookies.load(raw_cookie)
            except Exception:
                return None
            if here.session_cookie in cookies or any(c in cookies for c in DJANGO_COOKIES):
                return None
        query = environ.get("QUERY_STRING", "")
        params = dict(parse_qsl(query, keep_blank_values=True)) if query else {}
        lang_cookie = cookies.get(here.language_cookie)
        lang = _language(
            lang_cookie.value if lang_cookie else None, environ.get("HTTP_ACCEPT_LANGUAGE", "")
        )
        full_path = "/registry/" + (f"?{query}" if query else "")
        html = public.anonymous_registry_html(
            lang, params.get("q", ""), params.get("page"), full_path
        )
        token_cookie = cookies.get(here.csrf_cookie)
        secret = token_cookie.value if token_cookie else None
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Language", lang),
            ("Vary", "Accept-Language, Cookie"),
        ]
        if not _valid_secret(secret):
            secret = _random_chars(CSRF_SECRET_LENGTH).decode("ascii")
            cookie = _csrf_cookie_template(int(time.time())).format(secret)
            headers.append(("Set-Cookie", cookie))
        assert secret is not None
        body = _mask(secret).join(_page_parts(html))
        headers.append(("Content-Length", str(len(body))))
        headers += public.SECURITY_HEADERS
        headers += here.headers[secure, True]
        return "200 OK", headers, body
