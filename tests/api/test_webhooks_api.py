"""Webhook endpoints through the API: the same services and rules as the pages."""

from __future__ import annotations

import pytest

from ssmark.webhooks.models import Delivery, Endpoint, Event, EventType


@pytest.fixture(autouse=True)
def _allow_local(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = True


def test_register_change_rotate_log_and_remove(api_for):
    rin = api_for("rin")
    made = rin.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/acct", "events": ["invoice.paid", "invoice.issued"]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["secret"].startswith("whsec_") and body["events"] == [
        "invoice.issued",
        "invoice.paid",
    ]
    endpoint = Endpoint.objects.get(pk=body["id"])
    assert endpoint.organisation.code == "JAIPA"
    assert "secret" not in rin.get(f"/api/v1/webhooks/{endpoint.pk}/").json()
    changed = rin.put(
        f"/api/v1/webhooks/{endpoint.pk}/",
        {"url": "http://127.0.0.1:9/acct2", "events": ["invoice.paid"], "active": False},
        content_type="application/json",
    )
    assert changed.json()["active"] is False and changed.json()["url"].endswith("/acct2")
    rotated = rin.post(f"/api/v1/webhooks/{endpoint.pk}/rotate/").json()["secret"]
    endpoint.refresh_from_db()
    assert rotated == endpoint.secret != body["secret"]
    event = Event.objects.create(event_id="evt_x", type=EventType.INVOICE_PAID, payload={})
    Delivery.objects.create(endpoint=endpoint, event=event, next_attempt_at=event.created)
    log = rin.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/").json()
    assert [d["event_id"] for d in log["results"]] == ["evt_x"]
    assert rin.delete(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 204
    assert not Endpoint.objects.exists()


def test_refusals_name_the_field(api_for, settings):
    rin = api_for("rin")
    bad_event = rin.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/", "events": ["licence.stolen"]},
        content_type="application/json",
    )
    assert bad_event.status_code == 400 and bad_event.json()["field"] == "events"
    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = False
    private = rin.post(
        "/api/v1/webhooks/",
        {"url": "http://10.0.0.8/", "events": ["invoice.paid"]},
        content_type="application/json",
    )
    assert private.status_code == 400 and private.json()["field"] == "url"
    read_only = api_for("rin", read_only=True).post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/", "events": ["invoice.paid"]},
        content_type="application/json",
    )
    assert read_only.status_code == 403
    assert api_for("ren").get("/api/v1/webhooks/").status_code == 403
    assert not Endpoint.objects.exists()
