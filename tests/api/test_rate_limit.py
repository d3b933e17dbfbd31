"""The API's rate limit is counted in the database: it holds across processes and hosts (a
process that never saw the earlier requests still refuses), the window resets after a minute,
tokens and addresses are counted apart, and on PostgreSQL concurrent requests on their own
connections cannot take more than the limit."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client

from ssmark.api import ratelimit
from ssmark.api.errors import ERROR_THROTTLED
from ssmark.api.models import RateWindow
from ssmark.core import clock
from tests.threads import join_all


def bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def as_another_process() -> None:
    """Throw away what this process keeps between requests (Django's caches; DRF makes its
    throttles anew for each request): what a second worker or host would start from."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def moment(monkeypatch):  # type: ignore[no-untyped-def]
    """The one clock, stopped at a moment the test moves on by hand: `moment.advance(30)`."""

    class Moment:
        now = clock.now()

        def advance(self, seconds: float) -> None:
            self.now += datetime.timedelta(seconds=seconds)

    stopped = Moment()
    monkeypatch.setattr(clock, "now", lambda: stopped.now)
    return stopped


def test_the_limit_holds_when_each_request_meets_a_fresh_process(token_for, settings):
    settings.SSMARK_API_RATE_PER_MINUTE = 3
    token = token_for("alice")
    for _ in range(3):
        as_another_process()
        assert bearer(token).get("/api/v1/me/").status_code == 200
    as_another_process()
    refused = bearer(token).get("/api/v1/me/")
    assert refused.status_code == 429
    seconds = int(refused["Retry-After"])
    assert 1 <= seconds <= 60
    assert refused.json() == {
        "code": "rate_limited",
        "message": str(ERROR_THROTTLED) % {"seconds": seconds},
    }


def test_the_window_resets_a_minute_after_it_opened(token_for, settings, moment):
    settings.SSMARK_API_RATE_PER_MINUTE = 2
    client = bearer(token_for("alice"))
    assert client.get("/api/v1/me/").status_code == 200
    moment.advance(20)
    assert client.get("/api/v1/me/").status_code == 200
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 429 and refused["Retry-After"] == "40"
    moment.advance(39.5)
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 429 and refused["Retry-After"] == "1"
    moment.advance(0.5)  # a minute after the first request: a new window, a new budget
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/")["Retry-After"] == "60"


def test_tokens_are_counted_apart(token_for, settings):
    settings.SSMARK_API_RATE_PER_MINUTE = 1
    first, second = bearer(token_for("alice")), bearer(token_for("alice"))
    assert first.get("/api/v1/me/").status_code == 200
    assert first.get("/api/v1/me/").status_code == 429
    assert second.get("/api/v1/me/").status_code == 200
    assert bearer(token_for("rin")).get("/api/v1/me/").status_code == 200


def test_without_a_token_each_address_is_counted(db, settings):
    settings.SSMARK_API_RATE_PER_MINUTE = 2
    one = Client(REMOTE_ADDR="192.0.2.1")
    other = Client(REMOTE_ADDR="192.0.2.2")
    assert [one.get("/api/v1/licences/").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/api/v1/licences/").status_code == 200
    # a forged X-Forwarded-For does not buy a fresh address (no trusted proxy configured)
    forged = Client(REMOTE_ADDR="192.0.2.1", headers={"X-Forwarded-For": "198.51.100.7"})
    assert forged.get("/api/v1/licences/").status_code == 429


def test_windows_long_over_are_deleted_when_a_window_opens(db, moment):
    ratelimit.hit("t1", 5)
    ratelimit.hit("t2", 5)
    moment.advance(100)
    ratelimit.hit("t2", 5)  # t2's window had ended: it opens anew; t1's is not old enough
    assert set(RateWindow.objects.values_list("key", flat=True)) == {"t1", "t2"}
    moment.advance(30)
    ratelimit.hit("t3", 5)  # t1's window opened over two minutes ago: deleted
    assert set(RateWindow.objects.values_list("key", flat=True)) == {"t2", "t3"}
    assert RateWindow.objects.get(key="t2").hits == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_connections_cannot_pass_the_limit(users, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    from ssmark.api.tokens import create_token

    settings.SSMARK_API_RATE_PER_MINUTE = 4
    token = create_token(actor=users["alice"], user=users["alice"], name="x").secret
    workers, per_worker = 8, 3
    barrier = threading.Barrier(workers)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            client = bearer(token)
            barrier.wait()
            for _ in range(per_worker):
                statuses.append(client.get("/api/v1/me/").status_code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    join_all(threads)
    assert errors == []
    assert sorted(statuses) == [200] * 4 + [429] * (workers * per_worker - 4)
    assert RateWindow.objects.get().hits == workers * per_worker


@pytest.mark.django_db(transaction=True)
def test_concurrent_counts_lose_no_request(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    workers, per_worker, limit = 12, 25, 100
    barrier = threading.Barrier(workers)
    allowed: list[bool] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            for _ in range(per_worker):
                allowed.append(ratelimit.hit("t-shared", limit).allowed)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    join_all(threads)
    assert errors == []
    assert allowed.count(True) == limit
    assert RateWindow.objects.get(key="t-shared").hits == workers * per_worker
