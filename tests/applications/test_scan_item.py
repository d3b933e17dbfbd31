"""Item 2-1-1 (found by its SCAN evidence kind): reports, host roles, statements, and the
gate that stops the item being claimed met while it blocks."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications import assessment, services
from ssmark.applications.models import ItemAnswer, ScanReport
from tests.applications.factories import HOSTS, all_roles, clean_scan, nuclei_report, upload


@pytest.fixture
def scan_code(draft):
    item = assessment.scan_item(draft)
    assert item is not None and "SCAN" in item.evidence
    return item.code


def claim_met(app, user, code):
    return services.save_answer(actor=user, application=app, item_code=code, claim="met")


def test_no_report_blocks_claiming_met(draft, users, scan_code):
    gate = assessment.scan_gate(draft)
    assert gate.state == assessment.GATE_NO_REPORT and gate.blocks_claim
    with pytest.raises(services.ApplicationError) as exc:
        claim_met(draft, users["alice"], scan_code)
    assert scan_code in exc.value.text
    assert not ItemAnswer.objects.filter(application=draft, claim="met").exists()
    # "not met" may always be stated.
    services.save_answer(
        actor=users["alice"], application=draft, item_code=scan_code, claim="unmet"
    )


def test_blocking_finding_blocks_then_a_clean_rescan_unblocks(draft, users, scan_code):
    alice = users["alice"]
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=20)
    findings = [(ip, f"info-{role}", None) for role, ip in HOSTS.items()]
    findings.append((HOSTS["web"], "CVE-2021-41773", 7.5))
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("scan1.jsonl", nuclei_report(findings, old))
    )
    services.set_host_roles(actor=alice, application=draft, roles=all_roles())
    gate = assessment.scan_gate(draft)
    assert gate.state == assessment.GATE_BLOCKING and gate.blocks_claim
    assert [f.check_name for f in gate.blocking] == ["CVE-2021-41773"]
    with pytest.raises(services.ApplicationError):
        claim_met(draft, alice, scan_code)
    # The page says so too.
    draft.refresh_from_db()
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("scan2.jsonl", clean_scan())
    )
    draft.refresh_from_db()
    gate = assessment.scan_gate(draft)
    assert gate.state == assessment.GATE_OK and not gate.blocks_claim, gate
    assert claim_met(draft, alice, scan_code).claim == "met"


def test_needs_statement_each_finding_and_roles_missing(draft, users, scan_code):
    alice = users["alice"]
    report = nuclei_report(
        [
            (HOSTS["web"], "ssl-weak-cipher", 5.0),
            (HOSTS["mail"], "smtp-open-relay-info", 4.3),
            (HOSTS["dns"], "info-dns", None),
        ]
    )
    services.upload_scan_report(actor=alice, application=draft, upload=upload("s.jsonl", report))
    gate = assessment.scan_gate(draft)
    assert gate.state == assessment.GATE_NEEDS_STATEMENT
    assert len(gate.needs_statement) == 2 and len(gate.statements_missing) == 2
    # Issue 9.5: the 意見書 is required; 2-1-1 cannot be claimed met without it.
    assert gate.blocks_claim
    with pytest.raises(services.ApplicationError):
        claim_met(draft, alice, scan_code)
    assert set(gate.roles_missing) == {"dns", "mail", "web", "auth", "router"}
    first = next(iter(gate.needs_statement))
    with pytest.raises(services.ApplicationError) as refused:  # the signer is required
        services.add_finding_statement(
            actor=alice,
            application=draft,
            host=first.host,
            port=first.port,
            check_name=first.check_name,
            statement="影響は限定的と判断しました。",
            signer_name=" ",
        )
    assert refused.value.text == str(services.scans.ERROR_OPINION_SIGNER)
    for finding in gate.needs_statement:
        services.add_finding_statement(
            actor=alice,
            application=draft,
            host=finding.host,
            port=finding.port,
            check_name=finding.check_name,
            statement="社内ネットワークからのみ到達可能であり、影響は限定的と判断しました。",
            signer_name="山田 太郎",
        )
    draft.refresh_from_db()
    gate = assessment.scan_gate(draft)
    assert not gate.statements_missing and gate.statements_missing_count == 0
    assert gate.state == assessment.GATE_ROLES_MISSING and not gate.blocks_claim
    services.set_host_roles(
        actor=alice,
        application=draft,
        roles={HOSTS["web"]: ["web"], HOSTS["mail"]: ["mail"], HOSTS["dns"]: ["dns"]},
    )
    draft.refresh_from_db()
    assert set(assessment.scan_gate(draft).roles_missing) == {"auth", "router"}
    with pytest.raises(services.ApplicationError):
        services.set_host_roles(
            actor=alice, application=draft, roles={"203.0.113.9": ["dns"]}
        )  # not scanned
    with pytest.raises(services.ApplicationError):
        services.set_host_roles(actor=alice, application=draft, roles={HOSTS["web"]: ["ftp"]})


def test_stale_report_blocks(draft, users, scan_code):
    old = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=120)
    services.upload_scan_report(
        actor=users["alice"],
        application=draft,
        upload=upload("old.jsonl", nuclei_report([(HOSTS["web"], "x", None)], old)),
    )
    gate = assessment.scan_gate(draft)
    assert not gate.fresh and gate.state == assessment.GATE_STALE and gate.blocks_claim


def test_unreadable_report_is_refused_with_the_parsers_message_and_nothing_saved(
    draft, users, settings
):
    from pathlib import Path

    with pytest.raises(services.ApplicationError) as exc:
        services.upload_scan_report(
            actor=users["alice"],
            application=draft,
            upload=upload("report.xml", b"<html>not a scan report</html>", "text/xml"),
        )
    assert "report.xml" in exc.value.text
    assert not ScanReport.objects.exists()
    assert not [p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()]


def test_scan_report_size_limit(draft, users, settings):
    settings.MAX_SCAN_REPORT_MB = 1
    big = clean_scan() + b" " * (1024 * 1024)
    with pytest.raises(services.ApplicationError) as exc:
        services.upload_scan_report(
            actor=users["alice"], application=draft, upload=upload("big.jsonl", big)
        )
    assert exc.value.text == str(services.ERROR_FILE_TOO_LARGE) % {
        "name": "big.jsonl",
        "limit": 1,
    }
    assert not ScanReport.objects.exists()


def test_submit_refused_when_scan_claimed_met_but_gate_now_blocks(draft, users, scan_code):
    alice = users["alice"]
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("c.jsonl", clean_scan())
    )
    services.set_host_roles(actor=alice, application=draft, roles=all_roles())
    claim_met(draft, alice, scan_code)
    services.upload_scan_report(
        actor=alice,
        application=draft,
        upload=upload("new.jsonl", nuclei_report([(HOSTS["web"], "CVE-2024-6387", 8.1)])),
    )
    draft.refresh_from_db()
    readiness = assessment.readiness(draft)
    assert readiness.scan_claim_overridden == scan_code
    assert scan_code in readiness.verdict.mandatory_unmet
    services.declare_no_incidents(actor=alice, application=draft)
    with pytest.raises(services.ApplicationError):
        services.submit(actor=alice, application=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_scan_page_shows_the_gate(draft, users, client_for):
    alice = users["alice"]
    report = nuclei_report([(HOSTS["web"], "ssl-weak-cipher", 5.0), (HOSTS["web"], "CVE-1", 9.8)])
    services.upload_scan_report(actor=alice, application=draft, upload=upload("s.jsonl", report))
    body = client_for("alice").get(f"/applications/{draft.pk}/scan/").content.decode()
    assert "CVE-1" in body and "ssl-weak-cipher" in body
    assert str(assessment.GATE_LABELS[assessment.GATE_BLOCKING]) in body
    body = client_for("alice").get(f"/applications/{draft.pk}/").content.decode()
    assert str(assessment.GATE_LABELS[assessment.GATE_BLOCKING]) in body
