"""A renewal carries the previous application's evidence files over by their stored name (no
copy on disk), and a stored file is deleted only when nothing refers to it any more."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from ssmark.applications import assessment, services
from ssmark.applications.models import (
    Application,
    ApplicationStatus,
    Evidence,
    EvidenceKind,
    ScanReport,
    SecurityAuditRecord,
)
from ssmark.applications.states import transition
from ssmark.applications.storage import is_referenced
from ssmark.catalog.models import ReviewType
from tests.applications.factories import PDF_BYTES, PNG_BYTES, all_roles, clean_scan, upload


def stored_files() -> set[Path]:
    return {p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()}


# Dates written out, not computed by the code under test: on 2026-03-31 the renewal carries
# audits of the last 12 months (from 2025-03-31) over.
TODAY = datetime.date(2026, 3, 31)
RECENT_AUDIT = datetime.date(2025, 4, 30)  # eleven months before (30 April: no 31st)
OLD_AUDIT = datetime.date(2025, 3, 30)  # a day more than twelve months before


@pytest.fixture(autouse=True)
def _today(freeze_today) -> None:
    freeze_today(TODAY)


@pytest.fixture
def previous(new_application, users) -> Application:
    """Sample Net's earlier application: a file, a signed declaration with its scan, a web
    address, a recent and an old audit, and a scan report."""
    alice = users["alice"]
    app = new_application()
    services.save_answer(
        actor=alice, application=app, item_code="1-1-1", claim="met", explanation="基本方針"
    )
    services.add_file_evidence(
        actor=alice, application=app, item_code="1-1-1", upload=upload("基本方針.pdf", PDF_BYTES)
    )
    services.add_signed_declaration(
        actor=alice,
        application=app,
        item_code="7-2-1",
        signer_name="佐藤 花子",
        signed_on=datetime.date(2026, 1, 15),
        statement="個人情報保護管理者に任命されています。",
        upload=upload("宣誓書.png", PNG_BYTES, "image/png"),
    )
    services.add_url_evidence(
        actor=alice, application=app, item_code="4-1-3", url="https://sample-net.example/terms"
    )
    codes = sorted(assessment.security_audit_item_codes(app))
    services.record_audit(
        actor=alice,
        application=app,
        audited_on=RECENT_AUDIT,
        auditor="内部監査室",
        auditor_kind="internal",
        covered=codes[:3],
        upload=upload("内部監査報告書.pdf", PDF_BYTES + b"%audit\n"),
    )
    services.record_audit(
        actor=alice,
        application=app,
        audited_on=OLD_AUDIT,
        auditor="外部監査法人",
        auditor_kind="external",
        covered=codes,
    )
    services.upload_scan_report(
        actor=alice, application=app, upload=upload("scan.jsonl", clean_scan(), "text/plain")
    )
    services.set_host_roles(actor=alice, application=app, roles=all_roles())
    return app


def renew(new_application, previous: Application, by: str = "bob") -> Application:
    return new_application(by=by, review_type=ReviewType.RENEWAL, renew_from=previous)


def evidence_of(app: Application, kind: str) -> Evidence:
    return Evidence.objects.get(answer__application=app, kind=kind)


def test_renewal_refers_to_the_same_stored_files_marked_carried_over(
    previous, new_application, submit_now
):
    submit_now(previous)
    on_disk = stored_files()

    renewal = renew(new_application, previous)

    assert stored_files() == on_disk  # nothing copied
    for kind in (EvidenceKind.FILE, EvidenceKind.DECLARATION, EvidenceKind.URL):
        old, new = evidence_of(previous, kind), evidence_of(renewal, kind)
        assert new.pk != old.pk and new.carried_over and not old.carried_over
        assert (new.file.name, new.sha256, new.size, new.content_type, new.original_name) == (
            old.file.name,
            old.sha256,
            old.size,
            old.content_type,
            old.original_name,
        )
        assert new.url == old.url
    declaration = evidence_of(renewal, EvidenceKind.DECLARATION)
    assert declaration.signer == "pim_manager" and declaration.signer_name == "佐藤 花子"
    assert declaration.statement == "個人情報保護管理者に任命されています。"
    assert declaration.signed_on == datetime.date(2026, 1, 15)
    # Only the audit of the last 12 months comes along, with the same report file.
    (audit,) = SecurityAuditRecord.objects.filter(application=renewal)
    recent = SecurityAuditRecord.objects.get(application=previous, auditor="内部監査室")
    assert audit.carried_over and audit.auditor == "内部監査室"
    assert audit.audited_on == recent.audited_on and audit.covered == recent.covered
    assert audit.file.name == recent.file.name and audit.sha256 == recent.sha256
    # The vulnerability diagnosis must be fresh: no scan report, no host roles.
    assert not ScanReport.objects.filter(application=renewal).exists()
    assert not renewal.host_roles.exists()


def test_renewal_page_shows_the_files_and_they_download_for_its_applicant(
    previous, new_application, client_for
):
    renewal = renew(new_application, previous)
    ev = evidence_of(renewal, EvidenceKind.FILE)
    audit = SecurityAuditRecord.objects.get(application=renewal)

    page = client_for("alice").get(f"/applications/{renewal.pk}/?open=1-1-1").content.decode()
    assert "基本方針.pdf" in page
    assert f"/applications/{renewal.pk}/files/evidence/{ev.pk}/" in page
    assert 'data-testid="evidence-carried-over"' in page
    audits_page = client_for("alice").get(f"/applications/{renewal.pk}/audits/").content.decode()
    assert "内部監査報告書.pdf" in audits_page and 'data-testid="audit-carried-over"' in audits_page

    for name in ("alice", "bob"):
        response = client_for(name).get(f"/applications/{renewal.pk}/files/evidence/{ev.pk}/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
    response = client_for("alice").get(f"/applications/{renewal.pk}/files/audit/{audit.pk}/")
    assert response.status_code == 200
    # Still per object: another company, or the renewal's id with the old row, is 404.
    assert (
        client_for("charlie").get(f"/applications/{renewal.pk}/files/evidence/{ev.pk}/").status_code
        == 404
    )
    old = evidence_of(previous, EvidenceKind.FILE)
    assert (
        client_for("alice").get(f"/applications/{renewal.pk}/files/evidence/{old.pk}/").status_code
        == 404
    )


@pytest.mark.parametrize("submitted", [True, False], ids=["previous-submitted", "previous-draft"])
def test_removing_carried_over_files_from_the_renewal_keeps_the_originals(
    previous,
    new_application,
    users,
    client_for,
    submit_now,
    django_capture_on_commit_callbacks,
    submitted,
):
    # Either the previous application's rows or its submitted round keep the files.
    if submitted:
        submit_now(previous)
    renewal = renew(new_application, previous)
    bob = users["bob"]
    files = {
        kind: evidence_of(renewal, kind) for kind in (EvidenceKind.FILE, EvidenceKind.DECLARATION)
    }
    audit = SecurityAuditRecord.objects.get(application=renewal)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for ev in files.values():
            services.remove_evidence(actor=bob, application=renewal, evidence=ev)
        services.remove_audit(actor=bob, application=renewal, record=audit)
    assert len(callbacks) == 3

    for ev in files.values():
        assert default_storage.exists(ev.file.name)
    assert default_storage.exists(audit.file.name)
    old = evidence_of(previous, EvidenceKind.FILE)
    response = client_for("alice").get(f"/applications/{previous.pk}/files/evidence/{old.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_last_reference_going_deletes_the_file(
    previous, new_application, users, django_capture_on_commit_callbacks
):
    # `previous` is still a draft here, so both applications can let go of the file.
    renewal = renew(new_application, previous)
    alice = users["alice"]
    name = evidence_of(previous, EvidenceKind.FILE).file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(
            actor=alice, application=previous, evidence=evidence_of(previous, EvidenceKind.FILE)
        )
    assert default_storage.exists(name)  # the renewal still refers to it
    assert is_referenced(name)

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(
            actor=alice, application=renewal, evidence=evidence_of(renewal, EvidenceKind.FILE)
        )
    assert not default_storage.exists(name)
    assert not is_referenced(name)


def test_a_submitted_round_of_another_application_keeps_the_file(
    previous, new_application, users, submit_now, django_capture_on_commit_callbacks
):
    """The renewal was submitted with the carried-over file, then returned: once both rows
    are gone, the renewal's submitted round still lists the file, so it stays on record."""
    renewal = renew(new_application, previous)
    submit_now(renewal)
    with transaction.atomic():
        transition(
            renewal, to_status=ApplicationStatus.IN_FIRST_REVIEW, actor=users["rin"], action="t"
        )
        transition(renewal, to_status=ApplicationStatus.RETURNED, actor=users["ren"], action="t")
    name = evidence_of(previous, EvidenceKind.FILE).file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(
            actor=users["alice"],
            application=renewal,
            evidence=evidence_of(renewal, EvidenceKind.FILE),
        )
        services.remove_evidence(
            actor=users["alice"],
            application=previous,
            evidence=evidence_of(previous, EvidenceKind.FILE),
        )
    assert not Evidence.objects.filter(kind=EvidenceKind.FILE).exists()
    assert default_storage.exists(name)


def test_a_file_of_a_draft_that_nothing_else_refers_to_is_deleted(
    draft, users, django_capture_on_commit_callbacks
):
    ev = services.add_file_evidence(
        actor=users["alice"],
        application=draft,
        item_code="1-1-1",
        upload=upload("p.pdf", PDF_BYTES),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(actor=users["alice"], application=draft, evidence=ev)
    assert not default_storage.exists(ev.file.name)
