"""Point 2: second-factor codes are counted per account; the password does not reset them."""

import pytest
from django.test import Client
from django.utils import translation

from ssmark.accounts.models import LoginFailure
from ssmark.accounts.views import ERROR_CODES_LOCKED
from tests.security.helpers import enable_totp, enter_code, sign_in


@pytest.mark.django_db
def test_password_again_does_not_buy_more_code_guesses(users, settings) -> None:
    settings.LOGIN_CODE_FAILURE_LIMIT = 5
    totp = enable_totp(users["ren"])
    client = Client()
    refused = 0
    for _round in range(3):
        assert sign_in(client, "ren").status_code == 302  # the password is still right
        for _ in range(4):
            if enter_code(client, "000000").status_code == 429:
                refused += 1
    assert LoginFailure.objects.filter(kind="code", username="ren").count() == 5
    assert refused == 12 - 5
    # Locked: even the right code is refused now, from any address.
    other = Client(REMOTE_ADDR="10.1.2.3")
    sign_in(other, "ren")
    response = enter_code(other, totp.now())
    assert response.status_code == 429
    with translation.override("ja"):
        assert translation.gettext(ERROR_CODES_LOCKED) in response.content.decode()
    assert "_auth_user_id" not in other.session


@pytest.mark.django_db
def test_a_right_code_clears_the_code_failures(users, settings) -> None:
    settings.LOGIN_CODE_FAILURE_LIMIT = 5
    totp = enable_totp(users["ren"])
    client = Client()
    sign_in(client, "ren")
    for _ in range(4):
        enter_code(client, "000000")
    assert enter_code(client, totp.now()).status_code == 302
    assert not LoginFailure.objects.filter(kind="code").exists()


@pytest.mark.django_db
def test_code_failures_of_one_account_do_not_lock_another(users, settings) -> None:
    settings.LOGIN_CODE_FAILURE_LIMIT = 2
    enable_totp(users["ren"])
    taro = enable_totp(users["taro"])
    client = Client()
    sign_in(client, "ren")
    for _ in range(3):
        enter_code(client, "000000")
    sign_in(client, "taro")
    assert enter_code(client, taro.now()).status_code == 302


@pytest.mark.django_db
def test_the_same_code_in_two_parallel_requests_signs_in_once(users) -> None:
    from ssmark.accounts import totp as totp_module
    from ssmark.accounts.models import User

    app = enable_totp(users["ren"])
    code = app.now()
    first, second = User.objects.get(username="ren"), User.objects.get(username="ren")
    # Both requests loaded the user before either checked the code.
    assert totp_module.verify(first, code)
    assert not totp_module.verify(second, code)


@pytest.mark.django_db
def test_code_guesses_on_the_security_page_count_too(users, client_for, settings) -> None:
    """A stolen session cannot guess its way to new recovery codes."""
    settings.LOGIN_CODE_FAILURE_LIMIT = 3
    app = enable_totp(users["alice"])
    client = client_for("alice")
    session = client.session
    session["ssmark_2fa_ok"] = True
    session.save()
    for _ in range(3):
        client.post("/accounts/security/", {"action": "recovery", "code": "000000"})
    client.post("/accounts/security/", {"action": "recovery", "code": app.now()})
    assert not users["alice"].recovery_codes.exists()
    assert LoginFailure.objects.filter(kind="code", username="alice").count() == 3
