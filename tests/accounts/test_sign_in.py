import pytest
from django.test import Client
from django.utils import translation

from ssmark.accounts.models import LoginFailure
from ssmark.accounts.views import ERROR_BAD_CREDENTIALS, ERROR_LOCKED
from tests.conftest import PASSWORD


def _post(client: Client, username: str, password: str, **extra: str):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_sign_in_with_the_right_password(users) -> None:
    client = Client()
    response = _post(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(users["alice"].pk)


@pytest.mark.django_db
def test_wrong_password_is_refused_and_recorded(users) -> None:
    client = Client()
    response = _post(client, "alice", "nope")
    assert response.status_code == 200
    with translation.override("ja"):
        assert translation.gettext(ERROR_BAD_CREDENTIALS) in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginFailure.objects.filter(username="alice").count() == 1


@pytest.mark.django_db
def test_sign_in_is_throttled_after_repeated_failures(users, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        _post(client, "alice", "wrong")
    # Even the right password is refused while locked.
    response = _post(client, "alice", PASSWORD)
    assert response.status_code == 429
    with translation.override("ja"):
        assert translation.gettext(ERROR_LOCKED) in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from another address is not affected.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert _post(other, "bob", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_open_redirect_is_refused(users) -> None:
    response = Client().post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_sign_out_needs_post(users, client_for) -> None:
    client = client_for("alice")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_production_hasher_is_argon2() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    encoded = Argon2PasswordHasher().encode("secret", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify("secret", encoded)
