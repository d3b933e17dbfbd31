"""Webhooks end to end: a real HTTP receiver on 127.0.0.1, a licence revoked, the delivery
signed per Standard Webhooks (checked with the independent `standardwebhooks` package),
retried with backoff after a failing first attempt, never sent twice."""

from __future__ import annotations

import datetime
import http.server
import io
import json
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from standardwebhooks.webhooks import Webhook

from ssmark.core import clock
from ssmark.licences.services.status import revoke_licence
from ssmark.notifications.models import Notification
from ssmark.webhooks import sender, services
from ssmark.webhooks.models import Delivery, DeliveryStatus, EventType


class Receiver:
    """Answers 500 to the first `fail_first` requests, then 204; records every request."""

    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.requests: list[tuple[dict[str, str], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                failing = len(outer.requests) <= outer.fail_first
                self.send_response(500 if failing else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/ssmark"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(fail_first=1)
    yield r
    r.close()


@pytest.fixture(autouse=True)
def _allow_local(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = True
    settings.SSMARK_WEBHOOK_RETRY_SECONDS = 60
    settings.SSMARK_WEBHOOK_TIMEOUT_SECONDS = 5


def test_revoked_licence_is_delivered_signed_and_retried(
    receiver, licence_of_alice, users, client_for
):
    # alice registers the receiver on the webhooks page; the secret is shown once
    page = client_for("alice").post(
        "/webhooks/",
        {"url": receiver.url, "events": ["licence.revoked", "licence.suspended"], "active": "on"},
    )
    assert page.status_code == 200
    secret = page.context["secret"]
    endpoint = page.context["created"]
    revoke_licence(
        licence=licence_of_alice, actor=users["sue"], ground=_ground(), reason="重大な違反"
    )
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.event.type == "licence.revoked"

    start = clock.now()
    first = sender.send_due(now=start)
    assert first == {"delivered": 0, "retrying": 1, "failed": 0}
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_status_code == 500
    # backoff: not due again before the retry delay
    assert delivery.next_attempt_at == start + datetime.timedelta(seconds=60)
    assert sender.send_due(now=start + datetime.timedelta(seconds=59))["retrying"] == 0
    assert len(receiver.requests) == 1

    second = sender.send_due(now=start + datetime.timedelta(seconds=60))
    assert second["delivered"] == 1
    assert len(receiver.requests) == 2
    # the same event id on both attempts; each attempt signed and verifiable independently
    (h1, b1), (h2, b2) = receiver.requests
    assert h1["webhook-id"] == h2["webhook-id"] == delivery.event.event_id
    assert Webhook(secret).verify(b1, h1)["type"] == "licence.revoked"
    payload = Webhook(secret).verify(b2, h2)
    assert payload["type"] == "licence.revoked"
    assert payload["data"]["licence"] == licence_of_alice.number
    assert payload["data"]["status"] == "revoked"
    with pytest.raises(Exception):  # noqa: B017 (the library's own error type)
        Webhook(services.signing.new_secret()).verify(b2, h2)

    # running the sender again (or twice at once) sends nothing twice
    out = io.StringIO()
    call_command("send_webhooks", stdout=out)
    assert "0 delivered" in out.getvalue()
    from ssmark.core.models import JobRun

    assert JobRun.objects.get(name="send-webhooks").last_success is not None
    sender.send_due(now=start + datetime.timedelta(days=1))
    assert len(receiver.requests) == 2
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2


def _ground() -> str:
    from ssmark.licences.models import Ground

    return str(Ground.values[0])


@pytest.fixture
def licence_of_alice(issue):  # type: ignore[no-untyped-def]
    return issue(service_name="サンプル光")


def test_events_reach_only_the_organisations_that_handle_them(licence_of_alice, users, orgs):
    def register(org: str, who: str) -> int:
        endpoint, _ = services.create_endpoint(
            actor=users[who],
            organisation=orgs[org],
            url="http://127.0.0.1:9/x",
            events=[EventType.LICENCE_SUSPENDED],
        )
        return endpoint.pk

    mine, jaipa, telesa, other, secretariat = (
        register("sample-net", "alice"),
        register("JAIPA", "rin"),
        register("TELESA", "tomo"),
        register("other-isp", "charlie"),
        register("SECRETARIAT", "sue"),
    )
    from ssmark.licences.services.status import suspend_licence

    suspend_licence(licence=licence_of_alice, actor=users["sue"], ground=_ground(), reason="r")
    got = set(Delivery.objects.values_list("endpoint_id", flat=True))
    assert got == {mine, jaipa, secretariat}
    assert telesa not in got and other not in got


def test_delivery_rows_are_queued_in_the_transaction_of_the_event(licence_of_alice, users, orgs):
    services.create_endpoint(
        actor=users["alice"],
        organisation=orgs["sample-net"],
        url="http://127.0.0.1:9/x",
        events=[EventType.LICENCE_REVOKED],
    )

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        revoke_licence(licence=licence_of_alice, actor=users["sue"], ground=_ground(), reason="r")
        assert Delivery.objects.count() == 1
        raise Boom
    assert Delivery.objects.count() == 0


def test_private_addresses_are_refused_unless_allowed(settings, users, orgs):
    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = False
    from ssmark.core.refusals import InvalidInput

    for url in ("http://127.0.0.1/x", "http://10.1.2.3/x", "http://[::1]/x", "ftp://example/x"):
        with pytest.raises(InvalidInput) as caught:
            services.create_endpoint(
                actor=users["alice"],
                organisation=orgs["sample-net"],
                url=url,
                events=[EventType.LICENCE_REVOKED],
            )
        assert caught.value.field == "url"
    # and the sender re-checks at send time (an address that became private)
    result = sender.post("http://127.0.0.1:9/x", b"{}", {})
    assert not result.ok and "127.0.0.1" in result.error


def test_endpoint_is_switched_off_after_repeated_failure_and_the_owner_told(
    licence_of_alice, users, orgs, settings
):
    settings.SSMARK_WEBHOOK_MAX_ATTEMPTS = 2
    settings.SSMARK_WEBHOOK_DISABLE_AFTER = 1
    dead = Receiver(fail_first=100)
    try:
        endpoint, _ = services.create_endpoint(
            actor=users["alice"],
            organisation=orgs["sample-net"],
            url=dead.url,
            events=[EventType.LICENCE_REVOKED],
        )
        revoke_licence(licence=licence_of_alice, actor=users["sue"], ground=_ground(), reason="r")
        now = clock.now()
        sender.send_due(now=now)
        assert sender.send_due(now=now + datetime.timedelta(hours=1))["failed"] == 1
        endpoint.refresh_from_db()
        assert not endpoint.active and endpoint.disabled_reason == "HTTP 500"
        notices = Notification.objects.filter(kind="webhook_disabled")
        assert {n.recipient.username for n in notices} == {"alice", "bob"}
        notice = notices.first()
        assert notice is not None and "停止" in notice.subject and "switched off" in notice.subject
        assert dead.url in notice.body and "HTTP 500" in notice.body
        assert len(dead.requests) == 2
    finally:
        dead.close()


def test_sign_matches_the_reference_implementation():
    secret = services.signing.new_secret()
    body = json.dumps({"type": "x"}).encode()
    ts = int(clock.now().timestamp())
    headers = services.signing.headers(secret, "evt_1", ts, body)
    assert Webhook(secret).verify(body, headers) == {"type": "x"}


def test_a_delivery_is_claimed_by_one_worker_only(licence_of_alice, users, orgs):
    endpoint, _ = services.create_endpoint(
        actor=users["alice"],
        organisation=orgs["sample-net"],
        url="http://127.0.0.1:9/x",
        events=[EventType.LICENCE_REVOKED],
    )
    revoke_licence(licence=licence_of_alice, actor=users["sue"], ground=_ground(), reason="r")
    delivery = Delivery.objects.get(endpoint=endpoint)
    now = clock.now()
    assert sender._claim(delivery.pk, now) is True
    assert sender._claim(delivery.pk, now) is False  # a second worker gets nothing
    # a worker that died mid-send: after its lease the row is claimable again
    later = now + datetime.timedelta(hours=1)
    assert sender._claim(delivery.pk, later) is True
