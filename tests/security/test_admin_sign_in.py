"""Point 1: the admin has no password-only door, and a session that has not passed the second
factor reaches nothing but the code page."""

import pytest
from django.test import Client

from ssmark.accounts.models import LoginFailure
from tests.conftest import PASSWORD
from tests.security.helpers import enable_totp, enter_code, sign_in

PROTECTED = ["/committee/", "/licences/late/", "/fees/invoices/export.csv", "/admin/"]


@pytest.fixture
def admin_with_totp(users):
    ada = users["ada"]
    ada.is_staff = ada.is_superuser = True
    ada.save()
    return ada, enable_totp(ada)


@pytest.mark.django_db
def test_admin_login_page_sends_to_the_apps_sign_in(admin_with_totp) -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_password_alone_at_admin_login_signs_nobody_in(admin_with_totp) -> None:
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "ada", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    for path in PROTECTED:
        assert client.get(path).status_code in (302, 404), path
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_wrong_passwords_at_admin_login_are_never_checked(admin_with_totp) -> None:
    client = Client()
    for _ in range(12):
        client.post("/admin/login/", {"username": "ada", "password": "wrong"})
    # Nothing was checked there; the one sign-in (throttled) is the only place passwords go.
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "ada").status_code == 302


@pytest.mark.django_db
def test_session_without_second_factor_reaches_only_the_code_page(admin_with_totp) -> None:
    ada, _totp = admin_with_totp
    for path in PROTECTED:
        client = Client()
        client.force_login(ada)  # as any other door (admin, password reset) would
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_opens_after_password_and_code(admin_with_totp) -> None:
    _ada, totp = admin_with_totp
    client = Client()
    response = client.post(
        "/accounts/login/?next=/admin/",
        {"username": "ada", "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/accounts/login/code/"
    assert client.get("/admin/").status_code == 302  # still only the code page
    response = enter_code(client, totp.now())
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/committee/").status_code == 200
    assert not LoginFailure.objects.exists()
