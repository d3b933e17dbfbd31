"""Item 1-1-2 (found by its AUDIT evidence kind): audits of the last 12 months and the audit
items none of them covered."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications import assessment, services
from tests.applications.factories import PDF_BYTES, upload

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def fixed_today(freeze_today):
    freeze_today(TODAY)


def all_codes(app):
    return sorted(assessment.security_audit_item_codes(app))


def test_uncovered_audit_items_shrink_as_audits_are_recorded(draft, users):
    alice = users["alice"]
    item = assessment.security_audit_item(draft)
    assert item is not None and "AUDIT" in item.evidence
    codes = all_codes(draft)
    assert len(codes) == 16
    coverage = assessment.security_audit_coverage(draft)
    assert [e.code for e in coverage.uncovered] == [
        e.code for g in coverage.groups for e in g.entries
    ]
    services.record_audit(
        actor=alice,
        application=draft,
        audited_on=datetime.date(2026, 6, 1),
        auditor="内部監査室",
        auditor_kind="internal",
        covered=[c for c in codes if c.startswith(("A1", "A2", "A3"))],
        upload=upload("2026年度内部監査報告書.pdf", PDF_BYTES),
    )
    # An audit 13 months ago does not count.
    services.record_audit(
        actor=alice,
        application=draft,
        audited_on=datetime.date(2025, 10, 1),
        auditor="外部監査法人",
        auditor_kind="external",
        covered=codes,
    )
    coverage = assessment.security_audit_coverage(draft)
    assert coverage.since == datetime.date(2025, 11, 28)
    assert [e.code for e in coverage.uncovered] == ["A4-1", "A5-1", "A6-1", "A7-1"]
    assert not coverage.complete
    services.record_audit(
        actor=alice,
        application=draft,
        audited_on=datetime.date(2026, 9, 15),
        auditor="外部監査法人",
        auditor_kind="external",
        covered=["A4-1", "A5-1", "A6-1", "A7-1"],
    )
    assert assessment.security_audit_coverage(draft).complete


def test_audit_validation_changes_nothing(draft, users):
    alice = users["alice"]
    cases = [
        ({"covered": ["Z9-9"]}, str(services.ERROR_AUDIT_CODE) % {"code": "Z9-9"}),
        ({"covered": []}, str(services.ERROR_AUDIT_NONE_COVERED)),
        ({"audited_on": TODAY + datetime.timedelta(days=1)}, str(services.ERROR_AUDIT_FUTURE)),
        ({"auditor": " "}, str(services.ERROR_AUDIT_FIELDS)),
        ({"auditor_kind": "friend"}, str(services.ERROR_AUDITOR_KIND)),
    ]
    for change, error in cases:
        kwargs = {
            "audited_on": TODAY,
            "auditor": "内部監査室",
            "auditor_kind": "internal",
            "covered": ["A1-1"],
            **change,
        }
        with pytest.raises(services.ApplicationError) as exc:
            services.record_audit(actor=alice, application=draft, **kwargs)
        assert exc.value.text == error
    assert not draft.audits.exists()


def test_audits_page_lists_uncovered_items(draft, users, client_for):
    services.record_audit(
        actor=users["alice"],
        application=draft,
        audited_on=TODAY,
        auditor="内部監査室",
        auditor_kind="internal",
        covered=["A1-1"],
    )
    body = client_for("alice").get(f"/applications/{draft.pk}/audits/").content.decode()
    assert 'data-code="A1-1" data-covered="yes"' in body
    assert 'data-code="A7-1" data-covered="no"' in body
    # the item on the self-assessment page names the uncovered audit items
    body = client_for("alice").get(f"/applications/{draft.pk}/").content.decode()
    assert "#audit-A7-1" in body and "#audit-A1-1" not in body


def test_record_audit_through_the_page(draft, client_for):
    response = client_for("alice").post(
        f"/applications/{draft.pk}/audits/",
        {
            "audited_on": "2026-07-01",
            "auditor": "内部監査室",
            "auditor_kind": "internal",
            "covered": ["A1-1", "A2-1"],
            "file": upload("audit.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    record = draft.audits.get()
    assert record.covered == ["A1-1", "A2-1"] and record.has_file
