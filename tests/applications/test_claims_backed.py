"""Issue 9, point 6: 1-1-2 cannot be claimed met while the audits leave an audit item uncovered
(「監査項目について網羅していなくてはならない」), nor 2-1-1 while a host role the seed lists
(DNS, mail, web, authentication, router) has no scanned host."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications import assessment, services
from ssmark.applications.models import ItemAnswer
from ssmark.core import clock
from tests.applications.factories import HOSTS, all_roles, clean_scan, full_audit, upload


def _audit(app, user, covered):
    services.record_audit(
        actor=user,
        application=app,
        audited_on=clock.today() - datetime.timedelta(days=10),
        auditor="内部監査室",
        auditor_kind="internal",
        covered=covered,
    )


def test_audit_item_cannot_be_claimed_met_until_every_audit_item_is_covered(draft, users):
    alice = users["alice"]
    item = assessment.security_audit_item(draft)
    assert item is not None and item.code == "1-1-2"
    codes = sorted(assessment.security_audit_item_codes(draft))
    _audit(draft, alice, [c for c in codes if c != "A7-1"])
    with pytest.raises(services.ApplicationError) as exc:
        services.save_answer(actor=alice, application=draft, item_code="1-1-2", claim="met")
    assert exc.value.text == str(
        services.ERROR_AUDIT_INCOMPLETE % {"code": "1-1-2", "months": 12, "missing": "A7-1"}
    )
    assert "網羅" in exc.value.text and "A7-1" in exc.value.text
    assert not ItemAnswer.objects.filter(application=draft, item__code="1-1-2").exists()
    # "not met" may always be stated; once A7-1 is covered, "met" is accepted.
    services.save_answer(actor=alice, application=draft, item_code="1-1-2", claim="unmet")
    _audit(draft, alice, ["A7-1"])
    answer = services.save_answer(
        actor=alice, application=draft, item_code="1-1-2", claim="met", expected_version=1
    )
    assert answer.claim == "met"


def test_claimed_audit_item_counts_as_unmet_and_blocks_submission_when_coverage_falls_short(
    draft, users, client_for
):
    alice = users["alice"]
    full_audit(draft, alice)
    services.save_answer(actor=alice, application=draft, item_code="1-1-2", claim="met")
    # The audit is removed again: the claim stays, but the evidence no longer backs it.
    services.remove_audit(actor=alice, application=draft, record=draft.audits.get())
    ready = assessment.readiness(draft)
    assert ready.audit_claim_overridden == "1-1-2"
    assert ready.verdict.points_earned == 0  # 1-1-2 (5 points on a new review) not counted
    body = client_for("alice").get(f"/applications/{draft.pk}/readiness/").content.decode()
    assert "監査項目をまだ網羅していません" in body
    services.declare_no_incidents(actor=alice, application=draft)
    with pytest.raises(services.ApplicationError) as exc:
        services.submit(actor=alice, application=draft)
    assert "1-1-2" in exc.value.text
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_scan_item_cannot_be_claimed_met_while_a_host_role_is_missing(draft, users):
    alice = users["alice"]
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", clean_scan())
    )
    roles = all_roles()
    del roles[HOSTS["router"]]
    services.set_host_roles(actor=alice, application=draft, roles=roles)
    draft.refresh_from_db()
    gate = assessment.scan_gate(draft)
    assert gate.roles_missing == ["router"]
    with pytest.raises(services.ApplicationError) as exc:
        services.save_answer(actor=alice, application=draft, item_code="2-1-1", claim="met")
    assert "2-1-1" in exc.value.text
    services.set_host_roles(actor=alice, application=draft, roles=all_roles())
    draft.refresh_from_db()
    answer = services.save_answer(actor=alice, application=draft, item_code="2-1-1", claim="met")
    assert answer.claim == "met"
