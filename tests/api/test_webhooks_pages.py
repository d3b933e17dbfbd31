"""The webhook pages: an organisation's people register endpoints (secret shown once), see the
delivery log, rotate the secret and remove endpoints, with confirmation; nobody else can."""

from __future__ import annotations

import pytest

from ssmark.core.models import AuditEntry
from ssmark.webhooks.models import Delivery, Endpoint, Event, EventType


@pytest.fixture(autouse=True)
def _allow_local(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = True


FORM = {
    "url": "http://127.0.0.1:9/hook",
    "description": "会計システム",
    "events": ["licence.revoked", "invoice.paid"],
    "active": "on",
}


def test_register_shows_the_secret_once_and_lists_the_endpoint(client_for):
    alice = client_for("alice")
    response = alice.post("/webhooks/", FORM)
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    secret = response.context["secret"]
    assert secret == endpoint.secret and secret.startswith("whsec_")
    assert secret in response.content.decode()
    assert endpoint.events == ["invoice.paid", "licence.revoked"]
    page = client_for("bob").get("/webhooks/").content.decode()
    assert "http://127.0.0.1:9/hook" in page and secret not in page
    assert AuditEntry.objects.filter(action="ssmark.webhook.endpoint_created").exists()
    assert secret not in str(AuditEntry.objects.values_list("data", flat=True))


def test_an_endpoint_registered_with_active_unticked_is_switched_off(client_for):
    form = {key: value for key, value in FORM.items() if key != "active"}
    assert client_for("alice").post("/webhooks/", form).status_code == 200
    assert Endpoint.objects.get().active is False
    entries = AuditEntry.objects.filter(action__startswith="ssmark.webhook.endpoint_")
    assert [e.action for e in entries] == ["ssmark.webhook.endpoint_created"]


def test_bad_input_names_the_problem_and_keeps_what_was_typed(client_for, settings):
    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = False
    response = client_for("alice").post("/webhooks/", FORM)
    assert response.status_code == 400
    body = response.content.decode()
    assert "127.0.0.1" in body and "会計システム" in body
    assert not Endpoint.objects.exists()
    response = client_for("alice").post("/webhooks/", {**FORM, "events": []})
    assert response.status_code == 400


def test_only_the_organisation_s_people_see_its_endpoints(client_for, users, orgs):
    from ssmark.webhooks import services

    endpoint, _ = services.create_endpoint(
        actor=users["alice"],
        organisation=orgs["sample-net"],
        url=FORM["url"],
        events=FORM["events"],
    )
    for name in ("alice", "bob"):
        assert client_for(name).get(f"/webhooks/{endpoint.pk}/").status_code == 200
    for name in ("charlie", "rin", "tomo", "ren", "taro", "kei", "sue", "ada"):
        client = client_for(name)
        assert client.get(f"/webhooks/{endpoint.pk}/").status_code == 404, name
        assert client.post(f"/webhooks/{endpoint.pk}/rotate/", {"confirm": "on"}).status_code == 404
        assert client.post(f"/webhooks/{endpoint.pk}/delete/", {"confirm": "on"}).status_code == 404
    # reception staff and the secretariat manage their own organisation's endpoints
    assert client_for("rin").get("/webhooks/").status_code == 200
    assert client_for("sue").get("/webhooks/").status_code == 200
    # a first reviewer or committee member does not act for the organisation's webhooks
    assert client_for("ren").get("/webhooks/").status_code == 404
    assert client_for("kei").get("/webhooks/").status_code == 404
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_rotate_and_remove_ask_for_confirmation(client_for, users, orgs):
    from ssmark.webhooks import services

    endpoint, old = services.create_endpoint(
        actor=users["alice"],
        organisation=orgs["sample-net"],
        url=FORM["url"],
        events=FORM["events"],
    )
    alice = client_for("alice")
    alice.post(f"/webhooks/{endpoint.pk}/rotate/", {})
    endpoint.refresh_from_db()
    assert endpoint.secret == old
    response = alice.post(f"/webhooks/{endpoint.pk}/rotate/", {"confirm": "on"})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret in response.content.decode()
    alice.post(f"/webhooks/{endpoint.pk}/delete/", {})
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()
    alice.post(f"/webhooks/{endpoint.pk}/delete/", {"confirm": "on"})
    assert not Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_delivery_log_and_switching_back_on(client_for, users, orgs):
    from ssmark.webhooks import services

    endpoint, _ = services.create_endpoint(
        actor=users["alice"],
        organisation=orgs["sample-net"],
        url=FORM["url"],
        events=FORM["events"],
    )
    event = Event.objects.create(
        event_id="evt_log", type=EventType.INVOICE_PAID, payload={"type": "invoice.paid"}
    )
    Delivery.objects.create(
        endpoint=endpoint,
        event=event,
        next_attempt_at=event.created,
        attempts=3,
        last_status_code=502,
        last_error="HTTP 502",
    )
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=False, consecutive_failures=5, disabled_reason="HTTP 502"
    )
    alice = client_for("alice")
    page = alice.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "evt_log" in page and "HTTP 502" in page
    alice.post(f"/webhooks/{endpoint.pk}/", FORM)
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0
    assert endpoint.disabled_reason == ""


def test_pages_are_in_japanese(client_for):
    page = client_for("alice").get("/webhooks/", headers={"Accept-Language": "ja"})
    body = page.content.decode()
    assert "送信先の追加" in body and "用途" in body and "使用許諾の取消し" in body
