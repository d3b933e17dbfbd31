"""Point 4: every staff role must use a second factor (enrolment with a QR code, one-time
recovery codes); applicants may opt in; turning it on or off writes the audit trail; the demo
staff are enrolled with the published demo key."""

from __future__ import annotations

import io
import re

import pyotp
import pytest
from django.core.management import call_command
from django.test import Client

from ssmark.accounts import demo
from ssmark.accounts.models import User
from ssmark.core.models import AuditEntry
from tests.security.helpers import enable_totp, enter_code, sign_in

STAFF = ["rin", "ren", "kei", "sue", "ada"]


@pytest.fixture(autouse=True)
def _required(settings) -> None:
    settings.SSMARK_STAFF_2FA_REQUIRED = True


def _enrol(client: Client) -> tuple[pyotp.TOTP, str]:
    client.post("/accounts/security/", {"action": "start"})
    page = client.get("/accounts/security/").content.decode()
    secret = client.session["ssmark_totp_pending"]
    totp = pyotp.TOTP(secret)
    response = client.post("/accounts/security/", {"action": "confirm", "code": totp.now()})
    assert response.status_code == 302
    return totp, page


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF)
def test_staff_reach_only_the_enrolment_page_until_enrolled(users, name) -> None:
    client = Client()
    assert sign_in(client, name).status_code == 302
    for path in ["/", "/reviews/", "/committee/", "/fees/", "/applications/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    assert client.get("/accounts/security/").status_code == 200
    _totp, page = _enrol(client)
    assert "<svg" in page  # the QR code, inline
    user = User.objects.get(username=name)
    assert user.totp_enabled
    assert AuditEntry.objects.filter(
        action="ssmark.account.two_factor_enabled", target_id=str(user.pk)
    ).exists()
    assert client.get("/").status_code == 200  # through now


@pytest.mark.django_db
def test_recovery_codes_are_shown_once_and_work_once(users) -> None:
    client = Client()
    sign_in(client, "sue")
    _enrol(client)
    page = client.get("/accounts/security/").content.decode()
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)
    assert len(codes) == 10
    assert codes[0] not in client.get("/accounts/security/").content.decode()  # shown once
    again = Client()
    sign_in(again, "sue")
    assert enter_code(again, codes[0]).status_code == 302
    assert again.get("/fees/").status_code == 200
    third = Client()
    sign_in(third, "sue")
    assert enter_code(third, codes[0]).status_code == 200  # used up
    assert "_auth_user_id" not in third.session


@pytest.mark.django_db
def test_staff_cannot_turn_it_off(users) -> None:
    client = Client()
    sign_in(client, "rin")
    totp, _page = _enrol(client)
    client.post("/accounts/security/", {"action": "disable", "code": totp.now()})
    assert User.objects.get(username="rin").totp_enabled


@pytest.mark.django_db
def test_admin_without_a_role_is_staff_too(users) -> None:
    root = User.objects.create_user("root", password="correct horse battery", is_staff=True)
    assert root.pk
    client = Client()
    sign_in(client, "root")
    assert client.get("/admin/")["Location"] == "/accounts/security/"


@pytest.mark.django_db
def test_applicants_are_not_forced_but_may_opt_in_and_out(users) -> None:
    client = Client()
    sign_in(client, "alice")
    assert client.get("/applications/").status_code == 200
    _enrol(client)
    alice = User.objects.get(username="alice")
    assert alice.totp_enabled
    # The next code step (a code is accepted only once).
    alice.totp_last_step -= 1
    alice.save()
    later = pyotp.TOTP(alice.totp_secret)
    client.post("/accounts/security/", {"action": "disable", "code": later.now()})
    alice.refresh_from_db()
    assert not alice.totp_enabled
    actions = list(
        AuditEntry.objects.filter(target_id=str(alice.pk), action__startswith="ssmark.account.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["ssmark.account.two_factor_enabled", "ssmark.account.two_factor_disabled"]


@pytest.mark.django_db
def test_demo_staff_are_enrolled_with_the_published_key(settings) -> None:
    out = io.StringIO()
    demo.load(out)
    demo.print_logins(out)
    assert demo.DEMO_TOTP_SECRET in out.getvalue()
    staff = User.objects.get(username="shinsa")
    assert staff.totp_enabled and staff.totp_secret == demo.DEMO_TOTP_SECRET
    assert not User.objects.get(username="alice").totp_enabled
    code = io.StringIO()
    call_command("demo_code", stdout=code)
    client = Client()
    assert sign_in(client, "shinsa", demo.DEMO_PASSWORD)["Location"] == "/accounts/login/code/"
    assert enter_code(client, code.getvalue().strip()).status_code == 302
    assert client.get("/reviews/").status_code == 200


@pytest.mark.django_db
def test_an_administrator_resets_a_lost_device_in_the_admin(users) -> None:
    ada = users["ada"]
    ada.is_staff = ada.is_superuser = True
    ada.save()
    ada_totp = enable_totp(ada)
    enable_totp(users["rin"])
    admin = Client()
    sign_in(admin, "ada")
    enter_code(admin, ada_totp.now())
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [users["rin"].pk]},
    )
    assert response.status_code == 302
    rin = User.objects.get(username="rin")
    assert not rin.totp_enabled and rin.totp_secret == ""
    entry = AuditEntry.objects.get(action="ssmark.account.two_factor_disabled")
    assert entry.target_id == str(rin.pk) and entry.actor_id == ada.pk
    # The next sign-in of the staff member asks for enrolment again.
    again = Client()
    sign_in(again, "rin")
    assert again.get("/reviews/")["Location"] == "/accounts/security/"
