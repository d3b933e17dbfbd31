"""Point 8: a Content-Security-Policy on every page with no inline script anywhere; HSTS when
the site is https; staff idle timeout and an absolute session lifetime; `check --deploy` clean
with a production-like environment."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import ssmark
from ssmark.accounts.middleware import SEEN_SESSION_KEY, STARTED_SESSION_KEY
from tests.core.test_settings import _settings_value
from tests.security.helpers import sign_in

PAGES = ["/", "/registry/", "/accounts/login/", "/no-such-page/", "/fees/", "/reviews/"]


def _script_src(policy: str) -> str:
    return next(p for p in policy.split(";") if p.strip().startswith("script-src")).strip()


@pytest.mark.django_db
def test_every_page_carries_a_strict_script_policy(client_for) -> None:
    for client in (Client(), client_for("sue")):
        for path in PAGES:
            response = client.get(path)
            policy = response["Content-Security-Policy"]
            assert _script_src(policy) == "script-src 'self'", path
            assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_no_inline_script_or_event_handler_in_any_template() -> None:
    package = Path(ssmark.__file__).parent
    offenders = []
    for path in package.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text, re.IGNORECASE):
            if "src=" not in match.group(0):
                offenders.append(f"{path.relative_to(package)}: {match.group(0)}")
        for match in re.finditer(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", text):
            offenders.append(f"{path.relative_to(package)}: {match.group(0)[:60]}")
        if "javascript:" in text.lower():
            offenders.append(f"{path.relative_to(package)}: javascript: URL")
    assert offenders == []


@pytest.mark.django_db
def test_hsts_only_when_configured_for_https(settings) -> None:
    assert "Strict-Transport-Security" not in Client().get("/", secure=True)
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_follows_the_site_url(tmp_path: Path) -> None:
    assert _settings_value(tmp_path, "s.SECURE_HSTS_SECONDS") == "0"
    https = {"SSMARK_SITE_URL": "https://ssmark.example.jp"}
    assert _settings_value(tmp_path, "s.SECURE_HSTS_SECONDS", **https) == "31536000"
    assert _settings_value(tmp_path, "s.SESSION_COOKIE_AGE") == str(12 * 3600)


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SSMARK_VAR_DIR": str(tmp_path),
        "SSMARK_SITE_URL": "https://ssmark.example.jp",
        "SSMARK_ALLOWED_HOSTS": "ssmark.example.jp",
        "SSMARK_SECRET_KEY": secrets.token_urlsafe(48),
        "SSMARK_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SSMARK_HSTS_PRELOAD": "1",
        "SSMARK_SSL_REDIRECT": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DJANGO_SETTINGS_MODULE": "ssmark.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_staff_session_ends_after_the_idle_time(users, settings) -> None:
    settings.SSMARK_STAFF_IDLE_MINUTES = 30
    staff, applicant = Client(), Client()
    sign_in(staff, "rin")
    sign_in(applicant, "alice")
    for client in (staff, applicant):
        session = client.session
        session[SEEN_SESSION_KEY] -= 31 * 60
        session.save()
    response = staff.get("/reviews/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in staff.session
    # Applicants are not subject to the staff idle timeout.
    assert applicant.get("/applications/").status_code == 200
    assert "_auth_user_id" in applicant.session


@pytest.mark.django_db
def test_every_session_ends_after_its_absolute_lifetime(users, settings) -> None:
    settings.SSMARK_SESSION_MAX_HOURS = 12
    client = Client()
    sign_in(client, "alice")
    assert client.get("/applications/").status_code == 200
    session = client.session
    session[STARTED_SESSION_KEY] -= 12 * 3600 + 1
    session.save()
    response = client.get("/applications/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy_in_a_browser(page, sign_in, users) -> None:
    """Chromium reports no CSP violation on the pages, and the language switch (now in
    ssmark.js, not an inline handler) still works."""
    from playwright.sync_api import expect

    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    sign_in("alice")
    for path in ["/", "/applications/", "/registry/", "/accounts/security/"]:
        page.goto(path)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations == []
