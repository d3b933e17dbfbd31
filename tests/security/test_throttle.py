"""Point 3: the throttle cannot be raced, trusts X-Forwarded-For only through the configured
proxies, and a lockout never stops a different account signing in from a different address."""

from __future__ import annotations

import pytest
from django.test import Client

from ssmark.accounts import views
from ssmark.accounts.models import LoginFailure
from tests.security.helpers import sign_in


@pytest.mark.django_db
def test_parallel_wrong_passwords_check_at_most_the_limit(users, settings, monkeypatch) -> None:
    """Twelve attempts that all arrive before any has finished checking its password (each
    password check starts the next request) get exactly `limit` password checks."""
    settings.LOGIN_FAILURE_LIMIT = 5
    real_authenticate = views.authenticate
    checked: list[int] = []
    statuses: list[int] = []
    started = [1]
    client = Client()

    def slow_authenticate(request, **credentials):
        checked.append(1)
        while started[0] < 12:  # the others arrive while this password is being checked
            started[0] += 1
            statuses.append(sign_in(client, "alice", "wrong").status_code)
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(views, "authenticate", slow_authenticate)
    statuses.append(sign_in(client, "alice", "wrong").status_code)
    assert len(statuses) == 12
    assert len(checked) == 5
    assert statuses.count(429) == 7
    assert LoginFailure.objects.filter(username="alice").count() == 5


@pytest.mark.django_db
def test_forwarded_for_is_ignored_without_trusted_proxies(users, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    client = Client()
    for n in range(3):
        sign_in(client, "alice", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    # A forged header does not get the attacker a fresh address.
    assert sign_in(client, "alice", HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429


@pytest.mark.django_db
def test_client_address_through_one_trusted_proxy(users, settings) -> None:
    settings.SSMARK_TRUSTED_PROXIES = 1
    settings.LOGIN_FAILURE_LIMIT = 2
    proxy = Client(REMOTE_ADDR="192.0.2.1")
    # The leftmost entry is the attacker's own forgery; the proxy appended the real address.
    for _ in range(3):
        sign_in(proxy, "alice", "wrong", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    assert set(LoginFailure.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert sign_in(proxy, "alice", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # The same account from another client behind the same proxy still signs in.
    assert sign_in(proxy, "alice", HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302


@pytest.mark.django_db
def test_an_address_lockout_does_not_stop_other_addresses(users, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 20
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for n in range(25):
        sign_in(attacker, f"nobody{n}", "wrong")
    assert sign_in(attacker, "alice").status_code == 429  # that address is locked out
    assert sign_in(Client(REMOTE_ADDR="198.51.100.9"), "bob").status_code == 302


@pytest.mark.django_db
def test_an_account_lockout_does_not_stop_other_accounts(users, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 10
    for n in range(12):
        sign_in(Client(REMOTE_ADDR=f"203.0.113.{n}"), "alice", "wrong")
    assert sign_in(Client(REMOTE_ADDR="198.51.100.9"), "alice").status_code == 429
    assert sign_in(Client(REMOTE_ADDR="198.51.100.10"), "bob").status_code == 302


@pytest.mark.django_db
def test_a_right_password_from_the_same_address_clears_only_that_pair(users, settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 5
    client = Client()
    for _ in range(4):
        sign_in(client, "alice", "wrong")
    sign_in(Client(REMOTE_ADDR="203.0.113.5"), "alice", "wrong")
    assert sign_in(client, "alice").status_code == 302
    assert list(LoginFailure.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


@pytest.mark.django_db
def test_password_reset_counts_the_forwarded_client_not_the_proxy(users, settings) -> None:
    """The reset page reads the client address the same way as the sign-in: behind a proxy,
    one client's requests do not use up everyone else's."""
    from django.core import mail

    settings.SSMARK_TRUSTED_PROXIES = 1
    settings.PASSWORD_RESET_LIMIT = 1  # per address: 4
    proxy = Client(REMOTE_ADDR="192.0.2.1")
    for n in range(6):
        proxy.post(
            "/people/password/reset/",
            {"email": f"nobody{n}@example.test"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    proxy.post(
        "/people/password/reset/",
        {"email": "bob@example.test"},
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert [m.to for m in mail.outbox] == [["bob@example.test"]]
