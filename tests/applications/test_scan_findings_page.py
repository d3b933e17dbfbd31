"""The scan page at size: findings page by page with filters (host, severity, status), hosts
with their names, one 意見書 for several findings (issue 15), the 意見書 required before
submission (issue 9.5), condition 1 flagged to applicant and reviewer (9.7), thresholds from
the application's criteria set (9.8)."""

from __future__ import annotations

import datetime
import json

import pytest

from ssmark.applications import assessment, scangate, services
from ssmark.applications.models import FindingStatement, ScanFinding
from tests.applications.factories import HOSTS, nuclei_report, upload


def many(n: int, score: float = 5.0, host: str = HOSTS["web"]) -> list[tuple[str, str, float]]:
    return [(host, f"tmpl-{i:04d}", score) for i in range(n)]


def named_report() -> bytes:
    """Nuclei records whose `host` is a name and `ip` its address."""
    when = datetime.datetime.now(datetime.UTC).isoformat()
    lines = []
    for role, ip in HOSTS.items():
        lines.append(
            json.dumps(
                {
                    "template-id": f"info-{role}",
                    "info": {"name": role},
                    "host": f"{role}.sample-net.example",
                    "ip": ip,
                    "timestamp": when,
                }
            )
        )
    return ("\n".join(lines) + "\n").encode()


def test_findings_are_paginated_and_filtered(draft, users, client_for, settings):
    settings.SCAN_PAGE_SIZE = 50
    alice = users["alice"]
    findings = many(120) + many(7, 9.1, HOSTS["mail"]) + many(3, None, HOSTS["dns"])
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", nuclei_report(findings))
    )
    page = scangate.list_findings(application=draft)
    assert page.total == 130 and len(page.rows) == 50 and page.pages == 3
    assert [f.base for f in page.rows[:7]] == [9.1] * 7  # most severe first
    last = scangate.list_findings(application=draft, page=3)
    assert len(last.rows) == 30 and last.rows[-1].base is None
    assert scangate.list_findings(application=draft, page=99).number == 3
    mail = scangate.list_findings(application=draft, host=HOSTS["mail"])
    assert mail.total == 7 and {f.host for f in mail.rows} == {HOSTS["mail"]}
    assert scangate.list_findings(application=draft, severity="fail").total == 7
    assert scangate.list_findings(application=draft, severity="statement").total == 120
    missing = scangate.list_findings(application=draft, status="opinion_missing")
    assert missing.total == 120
    body = client_for("alice").get(f"/applications/{draft.pk}/scan/?page=2").content.decode()
    assert "検出 130 件中 51〜100 件目" in body
    assert body.count('name="key"') == 50  # one checkbox per warning finding on the page
    body = (
        client_for("alice")
        .get(f"/applications/{draft.pk}/scan/?severity=fail&host={HOSTS['mail']}")
        .content.decode()
    )
    assert "検出 7 件中 1〜7 件目" in body


def test_the_page_reads_a_constant_number_of_queries(
    draft, users, client_for, django_assert_max_num_queries
):
    alice = users["alice"]
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("a.jsonl", nuclei_report(many(10)))
    )
    client = client_for("alice")
    client.get(f"/applications/{draft.pk}/scan/")  # warm the criteria-set cache
    with django_assert_max_num_queries(40) as small:
        client.get(f"/applications/{draft.pk}/scan/")
    services.upload_scan_report(
        actor=alice,
        application=draft,
        upload=upload("b.jsonl", nuclei_report(many(900, 6.0, HOSTS["mail"]))),
    )
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        response = client.get(f"/applications/{draft.pk}/scan/")
    assert response.status_code == 200


def test_host_table_shows_names_beside_addresses(draft, users, client_for):
    services.upload_scan_report(
        actor=users["alice"], application=draft, upload=upload("n.jsonl", named_report())
    )
    body = client_for("alice").get(f"/applications/{draft.pk}/scan/").content.decode()
    assert f"<code>{HOSTS['mail']}</code>" in body and "mail.sample-net.example" in body
    hosts = scangate.list_hosts(application=draft, search="mail.sample")
    assert [h.key for h, _roles in hosts.rows] == [HOSTS["mail"]]


def test_one_opinion_for_several_findings_and_for_all_matching(draft, users, client_for):
    alice = users["alice"]
    findings = many(4) + many(3, 4.5, HOSTS["mail"])
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", nuclei_report(findings))
    )
    client = client_for("alice")
    url = f"/applications/{draft.pk}/scan/statement/"
    two = (
        [f"{HOSTS['web']}|{port}|tmpl-0000", f"{HOSTS['web']}|{port}|tmpl-0001"]
        if (port := ScanFinding.objects.filter(host=HOSTS["web"]).first().port)
        else []
    )
    response = client.post(
        url, {"key": two, "statement": "影響は限定的と判断しました。", "signer_name": "山田 太郎"}
    )
    assert response.status_code == 302
    assert FindingStatement.objects.filter(application=draft).count() == 2
    assert {s.signer_name for s in FindingStatement.objects.all()} == {"山田 太郎"}
    # Without a signer: refused, nothing saved.
    client.post(url, {"key": two, "statement": "x", "signer_name": ""})
    assert FindingStatement.objects.filter(application=draft).count() == 2
    # Every remaining finding on the mail host, by the filter.
    client.post(
        url,
        {
            "all_matching": "1",
            "host": HOSTS["mail"],
            "statement": "メールサーバは更新予定です。",
            "signer_name": "山田 太郎",
        },
    )
    assert FindingStatement.objects.filter(application=draft, host=HOSTS["mail"]).count() == 3
    assessment.forget(draft)
    gate = assessment.scan_gate(draft)
    assert gate.statements_missing_count == 2  # tmpl-0002 and tmpl-0003 on the web host
    assert scangate.list_findings(application=draft, status="opinion_given").total == 5


def test_a_long_forged_key_list_is_checked_whole(draft, users, django_assert_max_num_queries):
    """Every posted key must name a finding that needs an opinion, however many are posted:
    one forged key among 150 real ones is refused and nothing is saved."""
    alice = users["alice"]
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", nuclei_report(many(150)))
    )
    real = list(scangate.finding_keys(application=draft))
    assert len(real) == 150
    forged = (HOSTS["web"], real[0][1], "no-such-check")
    with pytest.raises(services.ApplicationError) as refused:
        services.add_finding_statements(
            actor=alice,
            application=draft,
            keys=[*real[:120], forged, *real[120:]],
            statement="検討済みです。",
            signer_name="山田 太郎",
        )
    assert "no-such-check" in refused.value.text
    assert not FindingStatement.objects.filter(application=draft).exists()
    # 150 opinions in a bounded number of queries (it was three per finding), twice: new
    # rows, then the same keys again (updated in place, not duplicated).
    for text in ("検討済みです。", "再検討しました。"):
        with django_assert_max_num_queries(40):
            saved = services.add_finding_statements(
                actor=alice, application=draft, keys=real, statement=text, signer_name="山田 太郎"
            )
        assert len(saved) == 150 and all(s.pk for s in saved)
        rows = FindingStatement.objects.filter(application=draft)
        assert rows.count() == 150 and set(rows.values_list("statement", flat=True)) == {text}


def test_submission_waits_for_every_opinion(draft, users, submit_now):
    alice = users["alice"]
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", nuclei_report(many(2)))
    )
    services.set_host_roles(actor=alice, application=draft, roles={HOSTS["web"]: ["web"]})
    with pytest.raises(services.ApplicationError) as refused:
        submit_now(draft)
    assert "2" in refused.value.text and "4.0" in refused.value.text
    services.add_finding_statements(
        actor=alice,
        application=draft,
        keys=list(scangate.finding_keys(application=draft)),
        statement="検討済みです。",
        signer_name="山田 太郎",
    )
    draft.refresh_from_db()
    assessment.forget(draft)
    assert submit_now(draft).status == "submitted"


def test_condition_1_is_flagged_to_applicant_and_reviewer(draft, users, client_for, submit_now):
    alice = users["alice"]
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", nuclei_report(many(1, 3.0)))
    )
    services.set_host_roles(actor=alice, application=draft, roles={HOSTS["web"]: ["web"]})
    gate = assessment.scan_gate(draft)
    assert gate.without_v2 == 1 and not gate.blocks_claim  # default: fallback allowed
    seed_words = "CVSS v2 の基本評価基準"
    page = client_for("alice").get(f"/applications/{draft.pk}/scan/", HTTP_ACCEPT_LANGUAGE="ja")
    assert seed_words in page.content.decode()
    submit_now(draft)
    page = client_for("kei").get(f"/applications/{draft.pk}/scan/", HTTP_ACCEPT_LANGUAGE="ja")
    body = page.content.decode()
    assert page.status_code == 200 and seed_words in body
    assert 'name="statement"' not in body  # read-only for the committee


def _set_thresholds(application, **cvss):
    cs = application.criteria_set
    definition = dict(cs.definition)
    diagnosis = dict(definition["diagnosis"])
    diagnosis["cvss"] = {**diagnosis["cvss"], **cvss}
    definition["diagnosis"] = diagnosis
    cs.definition = definition
    cs.source_sha256 = "0" * 64  # a different set for the cache
    cs.save()


def test_the_gate_uses_the_applications_criteria_set(draft, users):
    _set_thresholds(draft, fail_at=9.0, statement_at=6.0, fallback="refused")
    draft.refresh_from_db()
    services.upload_scan_report(
        actor=users["alice"],
        application=draft,
        upload=upload(
            "s.jsonl", nuclei_report([(HOSTS["web"], "a", 7.5), (HOSTS["web"], "b", 5.0)])
        ),
    )
    gate = assessment.scan_gate(draft)
    assert gate.thresholds is not None and gate.thresholds.fail_at == 9.0
    assert gate.blocking_count == 0 and gate.needs_statement_count == 1  # 7.5 needs the 意見書
    assert {f.check_name: f.band for f in ScanFinding.objects.all()} == {
        "a": "statement",
        "b": "low",
    }
    # The set refuses the v3/v4 fallback: a report without v2 scores blocks the claim.
    services.add_finding_statement(
        actor=users["alice"],
        application=draft,
        host=HOSTS["web"],
        port=ScanFinding.objects.get(check_name="a").port,
        check_name="a",
        statement="検討済み",
        signer_name="山田 太郎",
    )
    assessment.forget(draft)
    gate = assessment.scan_gate(draft)
    assert gate.state == assessment.GATE_NO_V2 and gate.blocks_claim
