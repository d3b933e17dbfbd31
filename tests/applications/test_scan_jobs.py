"""Reading scan reports outside the request (issue 12.3): the upload returns with the report
queued; the page shows progress and then the result; a failed read shows its reason in the
user's language and leaves nothing half-done; the worker's caps end a runaway read."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from ssmark.applications import assessment, scanjobs, services
from ssmark.applications.models import ScanFinding, ScanHost, ScanReport, ScanState
from tests.applications.factories import HOSTS, nuclei_report, upload


def queue(draft, users, content: bytes, name: str = "scan.jsonl") -> ScanReport:
    return services.upload_scan_report(
        actor=users["alice"], application=draft, upload=upload(name, content), background=True
    )


def files_in(root: str) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_upload_queues_then_the_worker_reads_it(draft, users, client_for):
    report = queue(draft, users, nuclei_report([(HOSTS["web"], "weak-tls", 5.0)]))
    assert report.state == ScanState.QUEUED and not ScanFinding.objects.exists()
    gate = assessment.scan_gate(draft)
    assert gate.state == assessment.GATE_PENDING and gate.blocks_claim
    page = client_for("alice").get(f"/applications/{draft.pk}/scan/").content.decode()
    assert f"/scan/{report.pk}/progress/" in page and 'hx-trigger="every 1s"' in page
    progress = client_for("alice").get(f"/applications/{draft.pk}/scan/{report.pk}/progress/")
    assert progress.status_code == 200 and "HX-Refresh" not in progress

    call_command("run_jobs", "--once", verbosity=0)

    report.refresh_from_db()
    assert report.state == ScanState.DONE and report.finding_count == 1
    assert report.bytes_done == report.size and report.host_count == 1
    assert ScanFinding.objects.filter(report=report, band="statement").count() == 1
    progress = client_for("alice").get(f"/applications/{draft.pk}/scan/{report.pk}/progress/")
    assert progress["HX-Refresh"] == "true"
    assessment.forget(draft)
    assert assessment.scan_gate(draft).state == assessment.GATE_NEEDS_STATEMENT


def test_progress_is_written_while_reading(draft, users, monkeypatch):
    lines = nuclei_report([(HOSTS["web"], f"t{i}", 5.0) for i in range(20000)]).splitlines()
    padding = b', "request": "' + b"x" * 300 + b'"}'
    report = queue(draft, users, b"\n".join(line[:-1] + padding for line in lines) + b"\n")
    seen: list[tuple[int, int]] = []
    original = scanjobs._RowWriter.progress

    def spy(self, bytes_read, found=0):
        original(self, bytes_read, found)
        row = ScanReport.objects.get(pk=report.pk)
        seen.append((row.bytes_done, row.finding_count))

    monkeypatch.setattr(scanjobs, "PROGRESS_SECONDS", 0)
    monkeypatch.setattr(scanjobs._RowWriter, "progress", spy)
    scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.DONE and report.finding_count == 20000
    assert any(0 < found < 20000 for _b, found in seen)  # findings so far, mid-read
    assert any(0 < b < report.size for b, _f in seen)  # bytes so far, mid-read


def test_failed_read_shows_its_reason_in_japanese_and_keeps_nothing(
    draft, users, client_for, settings, django_capture_on_commit_callbacks
):
    # Detected as Nuclei (first line), broken further down: refused by the job, not at upload.
    good = nuclei_report([(HOSTS["web"], "a", 5.0)])
    report = queue(draft, users, good + b'{"template-id": "b", "host": \n')
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_jobs", "--once", verbosity=0)
    report.refresh_from_db()
    assert report.state == ScanState.FAILED and report.error_code == "malformed_json"
    assert report.error_params["line"] == 2
    assert not ScanFinding.objects.exists() and not ScanHost.objects.exists()
    assert not report.file and not files_in(settings.EVIDENCE_ROOT)
    page = client_for("alice").get(f"/applications/{draft.pk}/scan/", HTTP_ACCEPT_LANGUAGE="ja")
    body = page.content.decode()
    assert "2 行目の JSON が不正です" in body  # the code, translated; not the English problem
    assert "malformed JSON" not in body
    assessment.forget(draft)
    assert assessment.scan_gate(draft).state == assessment.GATE_NO_REPORT


def test_not_a_report_is_refused_at_upload_in_the_users_language(draft, users, settings):
    from django.utils import translation

    with translation.override("ja"), pytest.raises(services.ApplicationError) as refused:
        queue(draft, users, b"%PDF-1.7 not a scan", name="scan.pdf")
    assert "PDF" in refused.value.text and "診断結果ではなく" in refused.value.text
    assert not ScanReport.objects.exists() and not files_in(settings.EVIDENCE_ROOT)


def test_hostile_and_broken_xml_is_refused_in_the_users_language(
    draft, users, settings, django_capture_on_commit_callbacks
):
    from django.utils import translation

    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n'
        b'<NessusClientData_v2><Report name="x"/></NessusClientData_v2>'
    )
    with translation.override("ja"), pytest.raises(services.ApplicationError) as refused:
        queue(draft, users, bomb, name="bomb.nessus")
    assert "実体（エンティティ）が宣言されているため受け付けません" in refused.value.text
    assert "refused" not in refused.value.text  # not the scanner library's English
    assert not ScanReport.objects.exists() and not files_in(settings.EVIDENCE_ROOT)
    # Cut in the middle: refused by the job, shown in Japanese on the page's report row.
    cut = b'<NessusClientData_v2><Report name="x"><ReportHost name="10.0.0.1"><HostProperties>'
    report = queue(draft, users, cut, name="cut.nessus")
    with django_capture_on_commit_callbacks(execute=True):
        scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.FAILED and report.error_code == "xml_truncated"
    with translation.override("ja"):
        shown = services.report_problem(report.error_code, report.error_params)
    assert shown == "XML が途中で終わっています（ファイルが欠けています）"


def test_a_read_that_hits_the_cpu_cap_fails_cleanly(draft, users, monkeypatch, settings):
    report = queue(draft, users, nuclei_report([(HOSTS["web"], "a", 5.0)]))
    # A child that streams one finding, then is killed by the kernel's CPU limit.
    script = (
        "import os, signal, sys;"
        'sys.stdout.write(\'F ["192.0.2.80","80/tcp","a","a","",5.0,"","",false]\\n\');'
        "sys.stdout.flush(); os.kill(os.getpid(), signal.SIGXCPU)"
    )
    monkeypatch.setattr(scanjobs, "child_command", lambda *a: [sys.executable, "-c", script])
    scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.FAILED and report.error_code == "cpu_limit"
    assert report.error_params == {"limit": settings.SCAN_PARSE_CPU_SECONDS}
    assert not ScanFinding.objects.exists()


def test_the_child_runs_under_the_cpu_and_memory_caps(settings, tmp_path):
    import subprocess

    settings.SCAN_PARSE_CPU_SECONDS = 7
    settings.SCAN_PARSE_MEMORY_MB = 200
    command = scanjobs.child_command(str(tmp_path / "x"), "x")
    assert command[command.index("--cpu") + 1] == "7"
    assert command[command.index("--memory-mb") + 1] == "200"
    probe = (
        "import resource, sys; from ssmark.scans.worker import _limits; _limits(7, 200);"
        "print(resource.getrlimit(resource.RLIMIT_CPU)[0], resource.getrlimit(resource.RLIMIT_AS)[0])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["7", str(200 * 1024 * 1024)]


def test_too_many_findings_is_refused(draft, users, settings):
    settings.SCAN_MAX_FINDINGS = 10
    report = queue(draft, users, nuclei_report([(HOSTS["web"], f"t{i}", 5.0) for i in range(30)]))
    scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.FAILED and report.error_code == "too_many_findings"
    assert not ScanFinding.objects.filter(report=report).exists()


def test_a_job_left_running_by_a_dead_worker_is_cleaned_and_queued_again(draft, users, settings):
    report = queue(draft, users, nuclei_report([(HOSTS["web"], "a", 5.0)]))
    claimed = scanjobs.claim()
    assert claimed is not None and claimed.pk == report.pk
    assert scanjobs.claim() is None  # a second worker does not get it
    ScanFinding.objects.create(
        report=report, application=draft, host="192.0.2.80", check_name="x", band="low"
    )
    old = timezone.now() - timezone.timedelta(seconds=settings.SCAN_JOB_STALE_SECONDS + 5)
    ScanReport.objects.filter(pk=report.pk).update(heartbeat=old)
    assert scanjobs.recover_stale() == 1
    report.refresh_from_db()
    assert report.state == ScanState.QUEUED and not ScanFinding.objects.exists()
    scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.DONE and report.finding_count == 1


def test_texts_with_tabs_backslashes_and_newlines_are_stored_as_read(draft, users):
    import json

    record = {
        "template-id": "odd\\name",
        "info": {"name": "a\tb\\c\nd", "classification": {"cvss-score": 5.0}},
        "host": HOSTS["web"],
        "ip": HOSTS["web"],
        "timestamp": timezone.now().isoformat(),
    }
    report = queue(draft, users, (json.dumps(record) + "\n").encode())
    scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.DONE
    finding = ScanFinding.objects.get(report=report)
    assert (finding.title, finding.check_name) == ("a\tb\\c\nd", "odd\\name")
    assert finding.base == 5.0 and finding.rank == 5.0 and finding.band == "statement"
    assert finding.current and not finding.has_opinion and not finding.has_v2


def test_a_finding_row_fills_every_column_of_the_table_once():
    """One column list for the COPY of the child's text rows and for the bulk insert."""
    table = [f.column for f in ScanFinding._meta.concrete_fields if not f.primary_key]
    assert sorted(scanjobs._COLUMNS) == sorted(table)
    assert len(set(scanjobs._COLUMNS)) == len(scanjobs._COLUMNS)
    assert scanjobs._COLUMNS[-2:] == ("current", "has_opinion")
    assert scanjobs._TEXT_FLAGS == b"\tt\tf"


def test_a_report_being_read_cannot_be_removed(draft, users):
    report = queue(draft, users, nuclei_report([(HOSTS["web"], "a", 5.0)]))
    claimed = scanjobs.claim()
    assert claimed is not None
    with pytest.raises(services.ApplicationError) as refused:
        services.remove_scan_report(actor=users["alice"], application=draft, report=report)
    assert refused.value.message == str(services.scans.ERROR_SCAN_BUSY)
    scanjobs.run_job(claimed)
    services.remove_scan_report(actor=users["alice"], application=draft, report=report)
    assert not ScanReport.objects.exists() and not ScanFinding.objects.exists()


def test_rows_stream_into_one_open_copy_and_progress_waits_for_it(draft, users, monkeypatch):
    """PostgreSQL keeps one COPY open while the child's rows arrive (the server stores them
    while the child reads on); elsewhere rows are inserted in batches. Either way every row
    arrives and the report ends done."""
    from django.db import connection

    report = queue(
        draft, users, nuclei_report([(HOSTS["web"], f"t{i}", 5.0) for i in range(12000)])
    )
    opened: list[float] = []
    original = scanjobs._OpenCopy.__init__

    def counting(self):
        original(self)
        opened.append(self.opened)

    monkeypatch.setattr(scanjobs, "PROGRESS_SECONDS", 3600)
    monkeypatch.setattr(scanjobs._OpenCopy, "__init__", counting)
    scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.DONE and report.finding_count == 12000
    assert ScanFinding.objects.filter(report=report).count() == 12000
    # One COPY for all 12,000 rows (it was one per 5,000 before), none without PostgreSQL.
    assert len(opened) == (1 if connection.vendor == "postgresql" else 0)


def test_a_failure_with_a_copy_open_leaves_nothing(
    draft, users, monkeypatch, settings, django_capture_on_commit_callbacks
):
    report = queue(draft, users, nuclei_report([(HOSTS["web"], f"t{i}", 5.0) for i in range(3000)]))

    def broken_host(self, row):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scanjobs, "PROGRESS_SECONDS", 3600)
    monkeypatch.setattr(scanjobs, "SEND_ROWS", 10)
    monkeypatch.setattr(scanjobs._RowWriter, "host", broken_host)
    with django_capture_on_commit_callbacks(execute=True):
        scanjobs.run_pending()
    report.refresh_from_db()
    assert report.state == ScanState.FAILED and report.error_code == "cannot_read"
    assert "disk full" in report.error_params["detail"]
    assert not ScanFinding.objects.exists() and not ScanHost.objects.exists()
    assert not files_in(settings.EVIDENCE_ROOT)
