"""Shared fixtures. Named users, one per role, to test who may see what:

- alice, bob: applicant members of Sample Net (same company)
- charlie: applicant member of another company (Other ISP)
- rin: reception staff at JAIPA;  tomo: reception staff at TELESA
- ren: first reviewer at JAIPA;   taro: first reviewer at TELESA
- kei: committee member;          sue: secretariat staff;  ada: administrator
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings

from ssmark.accounts.models import Organisation, OrganisationKind, Role, User, UserRole

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_hashing_and_storage(settings: settings, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Argon2 is the production hasher (tested in test_accounts); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The fixture users sign in with their password alone; tests/security turns the staff
    # second-factor requirement back on where it is tested (see README, "Security tests").
    settings.SSMARK_STAFF_2FA_REQUIRED = False
    # The public pages' snapshot checks for changes on every request in tests (production:
    # every SSMARK_PUBLIC_CHECK_MS), so a change is visible to the next request.
    settings.SSMARK_PUBLIC_CHECK_MS = 0
    evidence = tmp_path_factory.mktemp("evidence")
    settings.EVIDENCE_ROOT = evidence
    # Large uploads arrive next to the evidence folder, as in production (settings.py).
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path_factory.mktemp("uploads-tmp"))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(evidence)},
        },
    }
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }


@pytest.fixture(scope="session")
def _fee_schedule_submission_relaxed(tmp_path_factory: pytest.TempPathFactory) -> str:
    from ssmark.fees.schedule import SCHEDULE_FILE

    rule = "submission_not_made_until_review_fee_paid:"
    text = SCHEDULE_FILE.read_text(encoding="utf-8")
    assert f"{rule} true" in text
    path = tmp_path_factory.mktemp("fees") / "schedules.yaml"
    path.write_text(text.replace(f"{rule} true", f"{rule} false"), encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def _review_fee_before_submission(
    request: pytest.FixtureRequest,
    settings: settings,
    _fee_schedule_submission_relaxed: str,
) -> None:
    """The shipped fee schedule holds a submission until the review fee is paid (seed 002,
    issue 9.9). Tests of other features submit without paying: they run on a copy of the
    shipped schedule that relaxes only that rule. Tests marked `review_fee_first` use the
    shipped schedule itself."""
    if request.node.get_closest_marker("review_fee_first") is None:
        settings.SSMARK_FEE_SCHEDULE_FILE = _fee_schedule_submission_relaxed


def _org(code: str, kind: str, name: str, letter: str = "", regno: str = "") -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        code=code,
        defaults={
            "kind": kind,
            "name": name,
            "name_en": code,
            "licence_letter": letter,
            "invoice_registration_number": regno,
            "security_contact_email": f"security@{code.lower()}.example",
        },
    )
    return org


def _secretariat(code: str, name: str, of: str, host: str) -> Organisation:
    org = _org(code, OrganisationKind.SECRETARIAT, name)
    org.secretariat_of = of
    org.hosted_by = Organisation.objects.get(code=host)
    org.save(update_fields=["secretariat_of", "hosted_by"])
    return org


@pytest.fixture
def orgs(db: None) -> dict[str, Organisation]:
    return {
        "JAIPA": _org(
            "JAIPA",
            OrganisationKind.RECEPTION_BODY,
            "日本インターネットプロバイダー協会",
            "J",
            "T1010405010486",
        ),
        "TELESA": _org(
            "TELESA", OrganisationKind.RECEPTION_BODY, "テレコムサービス協会", "T", "T6010405003398"
        ),
        "TCA": _org(
            "TCA", OrganisationKind.RECEPTION_BODY, "電気通信事業者協会", "D", "T2010005004125"
        ),
        # Seed 002's two secretariats: the review committee's (at TELESA; sue, kei and ada
        # belong to it) and the council's (at JAIPA).
        "SECRETARIAT": _secretariat("SECRETARIAT", "審査委員会事務局", "committee", "TELESA"),
        "COUNCIL": _secretariat("COUNCIL", "推進協議会事務局", "council", "JAIPA"),
        "sample-net": _org("sample-net", OrganisationKind.APPLICANT, "サンプルネット株式会社"),
        "other-isp": _org("other-isp", OrganisationKind.APPLICANT, "アザーISP株式会社"),
    }


USERS = {
    "alice": ("sample-net", Role.APPLICANT),
    "bob": ("sample-net", Role.APPLICANT),
    "charlie": ("other-isp", Role.APPLICANT),
    "rin": ("JAIPA", Role.RECEPTION_STAFF),
    "tomo": ("TELESA", Role.RECEPTION_STAFF),
    "ren": ("JAIPA", Role.FIRST_REVIEWER),
    "taro": ("TELESA", Role.FIRST_REVIEWER),
    "kei": ("SECRETARIAT", Role.COMMITTEE_MEMBER),
    "sue": ("SECRETARIAT", Role.SECRETARIAT),
    "ada": ("SECRETARIAT", Role.ADMINISTRATOR),
}


def make_user(username: str, org: Organisation, *roles: str) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.test", organisation=org
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    return user


@pytest.fixture
def users(orgs: dict[str, Organisation]) -> dict[str, User]:
    return {name: make_user(name, orgs[org], role) for name, (org, role) in USERS.items()}


@pytest.fixture
def client_for(client: object, users: dict[str, User]) -> Callable[[str], object]:
    """`client_for("alice")` gives a test client signed in as alice."""
    from django.test import Client

    def make(name: str) -> Client:
        c = Client()
        c.force_login(users[name])
        return c

    return make


def pytest_report_header() -> str:
    engine = settings.DATABASES["default"]["ENGINE"] if settings.configured else "?"
    return (
        f"ssmark database engine: {engine} (expected: {os.environ.get('SSMARK_EXPECT_DB', 'any')})"
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _playwright_browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make sysdeps` (Debian package chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright_browser, live_server):
    """A fresh browser page (Japanese locale) against the live test server."""
    context = _playwright_browser.new_context(locale="ja-JP", base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def posted(page):
    """`with posted(page): button.click()`: wait for the answer to the form's POST (its
    transaction has committed then); the next page's content is then awaited with `expect`."""
    return page.expect_response(lambda response: response.request.method == "POST")


@pytest.fixture
def sign_in(page):
    """`sign_in("alice")` signs a fixture user in through the real sign-in form."""

    def do(username: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do


@pytest.fixture
def freeze_today(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    """Set the one clock's date: `freeze_today(date(2026, 3, 1))`; undone after the test.

    Through monkeypatch, so that a test which also patches the clock is undone in the right
    order (a frozen day must never leak into the next test).
    """
    from ssmark.core import clock

    def _set(day: datetime.date) -> None:
        monkeypatch.setattr(clock, "_frozen_day", day)

    return _set


@pytest.fixture(autouse=True)
def _clock_is_never_left_frozen() -> Iterator[None]:
    """Every test starts and ends with the real date, whatever another test did."""
    from ssmark.core import clock

    clock._frozen_day = None
    yield
    clock._frozen_day = None
