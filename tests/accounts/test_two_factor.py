import pyotp
import pytest
from django.test import Client

from ssmark.accounts.models import User
from tests.conftest import PASSWORD


def _enable(user: User) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_enabled = secret, True
    user.save()
    return pyotp.TOTP(secret)


@pytest.mark.django_db
def test_staff_with_totp_needs_a_code_after_the_password(users) -> None:
    totp = _enable(users["ren"])
    client = Client()
    response = client.post("/accounts/login/", {"username": "ren", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in yet
    assert client.post("/accounts/login/code/", {"code": "000000"}).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/code/", {"code": totp.now()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["ren"].pk)


@pytest.mark.django_db
def test_a_code_cannot_be_replayed(users) -> None:
    totp = _enable(users["ren"])
    code = totp.now()
    first = Client()
    first.post("/accounts/login/", {"username": "ren", "password": PASSWORD})
    first.post("/accounts/login/code/", {"code": code})
    second = Client()
    second.post("/accounts/login/", {"username": "ren", "password": PASSWORD})
    second.post("/accounts/login/code/", {"code": code})
    assert "_auth_user_id" not in second.session


@pytest.mark.django_db
def test_staff_turns_totp_on_with_a_confirming_code(users, client_for) -> None:
    client = client_for("rin")
    client.post("/accounts/security/", {"action": "start"})
    secret = client.session["ssmark_totp_pending"]
    client.post("/accounts/security/", {"action": "confirm", "code": "123456"})
    users["rin"].refresh_from_db()
    assert not users["rin"].totp_enabled
    client.post("/accounts/security/", {"action": "confirm", "code": pyotp.TOTP(secret).now()})
    users["rin"].refresh_from_db()
    assert users["rin"].totp_enabled and users["rin"].totp_secret == secret


@pytest.mark.django_db
def test_applicants_may_turn_totp_on(users, client_for) -> None:
    client = client_for("alice")
    page = client.get("/accounts/security/").content.decode()
    assert 'name="action" value="start"' in page
