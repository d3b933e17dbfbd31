"""Every API route × every named fixture user, on the same world and reader table as the
pages' authorisation test (tests/applications/test_authorisation.py): a token acts with its
person's roles and organisation; what the person may not see is a 404, what they may see but
not change is a 403, and nothing changes. A route missing from this table fails the test."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver

from ssmark.fees.models import Invoice
from ssmark.licences.models import Ground
from ssmark.licences.services.status import suspend_licence
from ssmark.notifications.models import Notification
from tests.applications.test_authorisation import EVERYONE, READERS, fingerprint, world

__all__ = ["world"]

APPLICANTS = {"alice", "bob"}


def application_reads(app, files):  # type: ignore[no-untyped-def]
    pk, scan = app.pk, files["scan"].pk
    return {
        "application": f"/api/v1/applications/{pk}/",
        "answers": f"/api/v1/applications/{pk}/answers/",
        "answer": f"/api/v1/applications/{pk}/answers/1-1-1/",
        "scan_reports": f"/api/v1/applications/{pk}/scan-reports/",
        "scan_report": f"/api/v1/applications/{pk}/scan-reports/{scan}/",
        "findings": f"/api/v1/applications/{pk}/scan-reports/{scan}/findings/",
    }


def applicant_writes(app):  # type: ignore[no-untyped-def]
    pk = app.pk
    return {
        "submit": ("post", f"/api/v1/applications/{pk}/submit/"),
        "withdraw": ("post", f"/api/v1/applications/{pk}/withdraw/"),
        "scan_reports": ("post", f"/api/v1/applications/{pk}/scan-reports/"),
        "answer": ("put", f"/api/v1/applications/{pk}/answers/1-1-1/"),
    }


def reviewer_writes(app):  # type: ignore[no-untyped-def]
    pk = app.pk
    return {
        "return": f"/api/v1/applications/{pk}/return/",
        "decide": f"/api/v1/applications/{pk}/decide/",
    }


@pytest.fixture
def clients(token_for):  # type: ignore[no-untyped-def]
    made = {}
    for name in EVERYONE:
        made[name] = Client(headers={"Authorization": f"Bearer {token_for(name)}"})
    return made


@pytest.mark.parametrize("key", ["draft", "jaipa", "telesa"])
def test_application_routes(world, clients, key):  # type: ignore[no-untyped-def]
    app, files = world[key], world["files"][key]
    before = fingerprint(app)
    for name in EVERYONE:
        client = clients[name]
        reader = name in READERS[key]
        for route, url in application_reads(app, files).items():
            status = client.get(url).status_code
            assert status == (200 if reader else 404), (name, route)
        for route, (method, url) in applicant_writes(app).items():
            if name in APPLICANTS:
                continue
            status = getattr(client, method)(url, {}, content_type="application/json").status_code
            assert status == (403 if reader else 404), (name, route)
        for route, url in reviewer_writes(app).items():
            status = client.post(url, {}, content_type="application/json").status_code
            # nobody is the assigned reviewer here: visible → 403 (the body is checked after)
            assert status == (403 if reader else 404), (name, route)
    assert fingerprint(app) == before


def test_invoice_and_payment_routes(world, clients):  # type: ignore[no-untyped-def]
    invoice = Invoice.objects.get(application=world["jaipa"])
    readers = {"alice", "bob", "rin", "sue", "ada"}
    managers = {"rin", "sue", "ada"}
    for name in EVERYONE:
        client = clients[name]
        for url in (f"/api/v1/invoices/{invoice.pk}/", f"/api/v1/invoices/{invoice.pk}/payments/"):
            assert client.get(url).status_code == (200 if name in readers else 404), (name, url)
        listed = {row["id"] for row in client.get("/api/v1/invoices/").json()["results"]}
        assert (invoice.pk in listed) == (name in readers), name
        post = client.post(f"/api/v1/invoices/{invoice.pk}/payments/", {})
        expected = 400 if name in managers else 403 if name in readers else 404
        assert post.status_code == expected, name
    assert not invoice.payments.exists()


def test_notification_routes(world, clients):  # type: ignore[no-untyped-def]
    mine = Notification.objects.filter(recipient__username="alice").first()
    assert mine is not None
    for name in EVERYONE:
        status = clients[name].post(f"/api/v1/notifications/{mine.pk}/read/").status_code
        assert status == (200 if name == "alice" else 404), name
        ids = {n["id"] for n in clients[name].get("/api/v1/notifications/").json()["results"]}
        assert (mine.pk in ids) == (name == "alice"), name


def test_licence_routes(issue, clients, users):  # type: ignore[no-untyped-def]
    public = issue(service_name="公開光")
    hidden = issue(service_name="停止光")
    suspend_licence(licence=hidden, actor=users["sue"], ground=Ground.values[0], reason="r")
    see_hidden = {"alice", "bob", "rin", "ren", "kei", "sue", "ada"}
    anonymous = Client()
    assert anonymous.get(f"/api/v1/licences/{public.number}/").status_code == 200
    assert anonymous.get(f"/api/v1/licences/{hidden.number}/").status_code == 404
    for name in EVERYONE:
        client = clients[name]
        assert client.get(f"/api/v1/licences/{public.number}/").status_code == 200
        status = client.get(f"/api/v1/licences/{hidden.number}/").status_code
        assert status == (200 if name in see_hidden else 404), name
        listed = {row["number"] for row in client.get("/api/v1/licences/").json()["results"]}
        assert (hidden.number in listed) == (name in see_hidden), name


def test_lists_and_queue(world, clients):  # type: ignore[no-untyped-def]
    for name in EVERYONE:
        client = clients[name]
        listed = {a["id"] for a in client.get("/api/v1/applications/").json()["results"]}
        for key in ("draft", "jaipa", "telesa"):
            assert (world[key].pk in listed) == (name in READERS[key]), (name, key)
        assert world["charlie"].pk not in listed or name == "charlie"
        queue = client.get("/api/v1/reviews/queue/")
        if name in APPLICANTS | {"charlie"}:
            assert queue.status_code == 403
        else:
            ids = {a["id"] for a in queue.json()["results"]}
            for key in ("jaipa", "telesa"):
                assert (world[key].pk in ids) == (name in READERS[key]), (name, key)
        assert client.get("/api/v1/me/").json()["username"] == name


COVERED = {
    "application",
    "answers",
    "answer",
    "scan_reports",
    "scan_report",
    "findings",
    "submit",
    "withdraw",
    "return",
    "decide",
    "invoices",
    "invoice",
    "payments",
    "notifications",
    "notification_read",
    "licences",
    "licence",
    "applications",
    "review_queue",
    "me",
    "schema",
    "docs",
    "webhooks",
    "webhook",
    "webhook_rotate",
    "webhook_deliveries",
}


def test_every_api_route_is_in_this_table():
    resolver = get_resolver()
    names = {
        name.removeprefix("api:")
        for name in _route_names(resolver)
        if name.startswith("api:") and name not in ("api:tokens", "api:revoke")
    }
    assert names == COVERED


def _route_names(resolver, prefix=""):  # type: ignore[no-untyped-def]
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _route_names(pattern, ns)
        elif pattern.name:
            yield f"{prefix}{pattern.name}"


def test_without_a_token_only_public_routes_answer(world):  # type: ignore[no-untyped-def]
    anonymous = Client()
    app, files = world["jaipa"], world["files"]["jaipa"]
    for url in application_reads(app, files).values():
        assert anonymous.get(url).status_code == 401
    for url in ("/api/v1/applications/", "/api/v1/invoices/", "/api/v1/notifications/"):
        assert anonymous.get(url).status_code == 401
    for url in ("/api/v1/licences/", "/api/v1/openapi.json", "/api/v1/docs/"):
        assert anonymous.get(url).status_code == 200


def test_webhook_routes(clients, users, orgs, settings):  # type: ignore[no-untyped-def]
    from ssmark.webhooks import services
    from ssmark.webhooks.models import Endpoint

    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = True
    endpoint, secret = services.create_endpoint(
        actor=users["alice"],
        organisation=orgs["sample-net"],
        url="http://127.0.0.1:9/x",
        events=["licence.revoked"],
    )
    # who manages some organisation's webhooks (each sees only their own organisation's)
    managers = {"alice", "bob", "charlie", "rin", "tomo", "sue", "ada"}
    body = {"url": "http://127.0.0.1:9/y", "events": ["invoice.paid"]}
    for name in EVERYONE:
        client = clients[name]
        listed = client.get("/api/v1/webhooks/")
        assert listed.status_code == (200 if name in managers else 403), name
        if listed.status_code == 200:
            assert (endpoint.pk in {e["id"] for e in listed.json()}) == (name in APPLICANTS)
        mine = name in APPLICANTS
        for url in (
            f"/api/v1/webhooks/{endpoint.pk}/",
            f"/api/v1/webhooks/{endpoint.pk}/deliveries/",
        ):
            assert client.get(url).status_code == (200 if mine else 404), (name, url)
        if not mine:
            rotate = client.post(f"/api/v1/webhooks/{endpoint.pk}/rotate/")
            put = client.put(
                f"/api/v1/webhooks/{endpoint.pk}/", body, content_type="application/json"
            )
            delete = client.delete(f"/api/v1/webhooks/{endpoint.pk}/")
            assert (rotate.status_code, put.status_code, delete.status_code) == (404, 404, 404)
    endpoint.refresh_from_db()
    assert endpoint.secret == secret and endpoint.url == "http://127.0.0.1:9/x"
    assert Endpoint.objects.count() == 1
