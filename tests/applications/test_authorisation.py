"""Every URL that takes an id, with every named fixture user: nobody reaches another's data
by changing an id. Not visible → 404 (existence not revealed); visible but not the
applicant → 403 for applicant actions."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ssmark.applications import services
from ssmark.applications.models import Evidence, ItemAnswer
from ssmark.applications.permissions import can_view_application
from tests.applications.factories import PDF_BYTES, clean_scan, upload

EVERYONE = ("alice", "bob", "charlie", "rin", "tomo", "ren", "taro", "kei", "sue", "ada")


@pytest.fixture
def world(new_application, users, submit_now):
    """alice's draft and submitted applications (JAIPA, TELESA), each with every kind of file;
    charlie's own draft with evidence."""
    alice = users["alice"]

    def furnish(app):
        ev = services.add_file_evidence(
            actor=alice, application=app, item_code="1-1-1", upload=upload("p.pdf", PDF_BYTES)
        )
        report = services.upload_scan_report(
            actor=alice, application=app, upload=upload("scan.jsonl", clean_scan())
        )
        audit = services.record_audit(
            actor=alice,
            application=app,
            audited_on=timezone.localdate(),
            auditor="内部監査室",
            auditor_kind="internal",
            covered=[services.assessment.security_audit_coverage(app).groups[0].entries[0].code],
            upload=upload("audit.pdf", PDF_BYTES),
        )
        incident = services.declare_incident(
            actor=alice,
            application=app,
            kind="outage",
            occurred_on=timezone.localdate(),
            summary="DNS障害",
            measures="冗長化",
        )
        return {"evidence": ev, "scan": report, "audit": audit, "incident": incident}

    draft = new_application(service_name="ドラフト光")
    jaipa = new_application(service_name="JAIPA光")
    telesa = new_application(service_name="TELESA光", body="TELESA")
    files = {"draft": furnish(draft), "jaipa": furnish(jaipa), "telesa": furnish(telesa)}
    submit_now(jaipa)
    submit_now(telesa)
    charlie_app = new_application(by="charlie", service_name="アザー光")
    services.add_file_evidence(
        actor=users["charlie"],
        application=charlie_app,
        item_code="1-1-1",
        upload=upload("c.pdf", PDF_BYTES),
    )
    return {
        "draft": draft,
        "jaipa": jaipa,
        "telesa": telesa,
        "charlie": charlie_app,
        "files": files,
    }


def read_urls(app, files):
    pk = app.pk
    return [
        f"/applications/{pk}/",
        f"/applications/{pk}/readiness/",
        f"/applications/{pk}/items/1-1-1/",
        f"/applications/{pk}/scan/",
        f"/applications/{pk}/audits/",
        f"/applications/{pk}/incidents/",
        f"/applications/{pk}/contacts/",
        f"/applications/{pk}/files/evidence/{files['evidence'].pk}/",
        f"/applications/{pk}/files/scan/{files['scan'].pk}/",
        f"/applications/{pk}/files/audit/{files['audit'].pk}/",
    ]


def applicant_gets(app):
    pk = app.pk
    return [f"/applications/{pk}/submit/", f"/applications/{pk}/withdraw/"]


def write_posts(app, files):
    pk = app.pk
    return [
        (f"/applications/{pk}/items/1-1-1/answer/", {"claim": "unmet"}),
        (f"/applications/{pk}/items/1-1-1/evidence/", {"kind": "url", "url": "https://e.example/"}),
        (f"/applications/{pk}/evidence/{files['evidence'].pk}/remove/", {}),
        (f"/applications/{pk}/scan/", {}),
        (f"/applications/{pk}/scan/{files['scan'].pk}/remove/", {}),
        (f"/applications/{pk}/scan/roles/", {"host": "192.0.2.53", "role:192.0.2.53": "dns"}),
        (
            f"/applications/{pk}/scan/statement/",
            {"host": "h", "port": "1", "check_name": "c", "statement": "s"},
        ),
        (f"/applications/{pk}/audits/", {}),
        (f"/applications/{pk}/audits/{files['audit'].pk}/remove/", {}),
        (f"/applications/{pk}/incidents/", {}),
        (f"/applications/{pk}/incidents/none/", {}),
        (f"/applications/{pk}/incidents/{files['incident'].pk}/remove/", {}),
        (f"/applications/{pk}/contacts/", {"service_name": "x"}),
        (f"/applications/{pk}/submit/", {"confirm": "on"}),
        (f"/applications/{pk}/withdraw/", {"confirm": "on"}),
    ]


def fingerprint(app):
    app.refresh_from_db()
    return (
        app.status,
        app.service_name,
        list(ItemAnswer.objects.filter(application=app).values_list("claim", "version")),
        Evidence.objects.filter(answer__application=app).count(),
        app.scan_reports.count(),
        app.audits.count(),
        app.incidents.count(),
        app.host_roles.count(),
        app.finding_statements.count(),
    )


# Who may read what: (application key) -> users who see it.
READERS = {
    "draft": {"alice", "bob"},
    "jaipa": {"alice", "bob", "rin", "kei", "sue", "ada"},
    "telesa": {"alice", "bob", "tomo", "kei", "sue", "ada"},
}


@pytest.mark.parametrize("key", ["draft", "jaipa", "telesa"])
def test_reading_every_url(world, client_for, key):
    app, files = world[key], world["files"][key]
    for name in EVERYONE:
        client = client_for(name)
        expected = 200 if name in READERS[key] else 404
        for url in read_urls(app, files):
            assert client.get(url).status_code == expected, (name, url)
        for url in applicant_gets(app):
            status = client.get(url).status_code
            if name in {"alice", "bob"}:
                submitted_submit = key != "draft" and url.endswith("/submit/")
                assert status == (302 if submitted_submit else 200), (name, url)
            else:
                assert status == (403 if name in READERS[key] else 404), (name, url)


@pytest.mark.parametrize("key", ["draft", "jaipa"])
def test_writing_every_url_by_others_changes_nothing(world, client_for, key):
    app, files = world[key], world["files"][key]
    before = fingerprint(app)
    for name in EVERYONE:
        if name in {"alice", "bob"}:
            continue
        client = client_for(name)
        expected = 403 if name in READERS[key] else 404
        for url, data in write_posts(app, files):
            assert client.post(url, data).status_code == expected, (name, url)
    assert fingerprint(app) == before


def test_ids_of_another_application_are_not_reachable_through_ones_own(world, client_for):
    """alice's application id with charlie's evidence id: 404, and the other way round."""
    charlie_ev = Evidence.objects.get(answer__application=world["charlie"])
    alice_ev = world["files"]["draft"]["evidence"]
    alice = client_for("alice")
    charlie = client_for("charlie")
    assert (
        alice.get(f"/applications/{world['draft'].pk}/files/evidence/{charlie_ev.pk}/").status_code
        == 404
    )
    assert (
        charlie.get(
            f"/applications/{world['charlie'].pk}/files/evidence/{alice_ev.pk}/"
        ).status_code
        == 404
    )
    assert charlie.get(f"/applications/{world['draft'].pk}/").status_code == 404
    assert (
        charlie.get(f"/applications/{world['draft'].pk}/files/evidence/{alice_ev.pk}/").status_code
        == 404
    )
    assert (
        alice.post(
            f"/applications/{world['draft'].pk}/evidence/{charlie_ev.pk}/remove/"
        ).status_code
        == 404
    )
    assert Evidence.objects.filter(pk=charlie_ev.pk).exists()
    # unknown file kinds and ids
    assert alice.get(f"/applications/{world['draft'].pk}/files/other/1/").status_code == 404
    assert alice.get(f"/applications/{world['draft'].pk}/files/evidence/999999/").status_code == 404


def test_assigned_first_reviewer_sees_the_application(world, users):
    from ssmark.reviews.models import FirstReview

    app = world["jaipa"]
    assert not can_view_application(users["ren"], app)
    FirstReview.objects.create(
        application=app, reviewer=users["ren"], assigned_by=users["rin"], assigned_at=timezone.now()
    )
    app.refresh_from_db()
    assert can_view_application(users["ren"], app)
    assert not can_view_application(users["taro"], app)


def test_withdrawn_draft_stays_private_withdrawn_submission_stays_readable(world, users):
    services.withdraw(actor=users["alice"], application=world["draft"])
    services.withdraw(actor=users["alice"], application=world["jaipa"])
    assert not can_view_application(users["rin"], world["draft"])
    assert can_view_application(users["rin"], world["jaipa"])


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(f"/applications/{world['draft'].pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    evidence = world["files"]["draft"]["evidence"]
    response = client.get(f"/applications/{world['draft'].pk}/files/evidence/{evidence.pk}/")
    assert response.status_code == 302


def test_list_shows_only_own_company(world, client_for):
    body = client_for("charlie").get("/applications/").content.decode()
    assert "アザー光" in body and "ドラフト光" not in body
    body = client_for("bob").get("/applications/").content.decode()
    assert "ドラフト光" in body and "JAIPA光" in body and "アザー光" not in body
    body = client_for("rin").get("/applications/").content.decode()
    assert "JAIPA光" not in body
