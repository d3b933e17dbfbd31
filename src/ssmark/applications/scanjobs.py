"""Reading uploaded scan reports outside the request: the ScanReport row is the job.

queued → running → done | failed. `run_pending()` (the worker: `ssmark run-jobs`, started
by `ssmark serve`) claims the oldest queued report with a conditional UPDATE (safe with
several workers and hosts), then `run_job()` starts `python -m ssmark.scans.worker` as a
child process capped by RLIMIT_CPU and RLIMIT_AS (settings SCAN_PARSE_CPU_SECONDS,
SCAN_PARSE_MEMORY_MB) and writes the findings it streams back as rows, in batches, updating
the progress (bytes read, findings so far) on the row. A refusal or a cap ends the job as
failed with its reason (a code of ssmark.scans.errors); its rows and its stored file are
removed, so nothing half-done is left. A job whose worker died (no progress for
SCAN_JOB_STALE_SECONDS) is cleaned the same way and queued again once.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction

from ssmark import scans
from ssmark.core import clock
from ssmark.core.models import audit

from . import scangate, uploadtemp
from .models import ScanFinding, ScanHost, ScanReport, ScanState
from .storage import local_path, release

log = logging.getLogger(__name__)

BATCH = 5000
PROGRESS_SECONDS = 0.5
MAX_LINE = 1 << 20
# PostgreSQL: the child's rows go into the open COPY this many at a time.
SEND_ROWS = 1000
# The pipe from the child: large enough that the child reads on while the parent waits on
# the database (Linux; the default is 64 KiB).
PIPE_BYTES = 1 << 20


def claim(report_id: int | None = None) -> ScanReport | None:
    """Mark the oldest queued report (or this one) running; None when there is none or
    another worker got it first."""
    queued = ScanReport.objects.filter(state=ScanState.QUEUED)
    if report_id is not None:
        queued = queued.filter(pk=report_id)
    for pk in queued.order_by("created", "id").values_list("pk", flat=True)[:5]:
        won = ScanReport.objects.filter(pk=pk, state=ScanState.QUEUED).update(
            state=ScanState.RUNNING, heartbeat=clock.now(), bytes_done=0, finding_count=0
        )
        if won:
            return ScanReport.objects.select_related("application").get(pk=pk)
    return None


def recover_stale() -> int:
    """Jobs left running by a worker that died: clean them, queue again (once) or fail."""
    limit = clock.now() - datetime.timedelta(seconds=settings.SCAN_JOB_STALE_SECONDS)
    count = 0
    for report in ScanReport.objects.filter(state=ScanState.RUNNING, heartbeat__lt=limit):
        _clear_rows(report)
        if report.attempts < 2:
            ScanReport.objects.filter(pk=report.pk, state=ScanState.RUNNING).update(
                state=ScanState.QUEUED, bytes_done=0, finding_count=0
            )
        else:
            _fail(report, "interrupted", {})
        count += 1
    return count


def run_pending(max_jobs: int | None = None) -> int:
    """Run queued jobs one after the other until none is left (or `max_jobs`)."""
    recover_stale()
    done = 0
    while max_jobs is None or done < max_jobs:
        report = claim()
        if report is None:
            break
        run_job(report)
        done += 1
    return done


def serve_forever(poll_seconds: float = 1.0, parent: int | None = None) -> None:
    """The worker loop of `ssmark run-jobs` (without --once). With `parent` (the process id
    of the `ssmark serve` that started it), the loop ends once that process is gone. Every
    few minutes it also removes stale temporary upload files (uploadtemp.PeriodicSweep)."""
    from django.db import close_old_connections

    sweep_uploads = uploadtemp.PeriodicSweep()
    while parent is None or parent_alive(parent):
        close_old_connections()
        sweep_uploads()
        try:
            if not run_pending():
                time.sleep(poll_seconds)
        except Exception:
            log.exception("scan job worker")
            time.sleep(poll_seconds)


def child_command(path: str, name: str, thresholds: scans.Thresholds | None = None) -> list[str]:
    bands = []
    if thresholds is not None:
        bands = [
            "--fail-at",
            str(thresholds.fail_at),
            "--statement-at",
            str(thresholds.statement_at),
        ]
    return [
        sys.executable,
        "-m",
        "ssmark.scans.worker",
        path,
        "--name",
        name,
        "--cpu",
        str(settings.SCAN_PARSE_CPU_SECONDS),
        "--memory-mb",
        str(settings.SCAN_PARSE_MEMORY_MB),
        "--max-record",
        str(settings.SCAN_MAX_RECORD_KB * 1024),
        "--max-bytes",
        str(settings.MAX_SCAN_REPORT_MB * 1024 * 1024),
        *bands,
    ]


def _lines(stream: IO[bytes]) -> Iterator[tuple[str, Any]]:
    """(tag, value) per line of the child; a T line's value is its raw COPY text row."""
    while True:
        line = stream.readline(MAX_LINE)
        if not line:
            return
        if not line.endswith(b"\n"):
            raise scans.ReportError.of("cannot_read", detail="worker output line too long")
        tag = line[:1].decode()
        yield tag, (line[2:] if tag == "T" else json.loads(line[2:]))


def run_job(report: ScanReport) -> ScanReport:
    """Read `report` (already claimed: state running) into rows; returns it done or failed."""
    ScanReport.objects.filter(pk=report.pk).update(attempts=report.attempts + 1)
    thresholds = scangate.thresholds_for(report.application)
    writer = _RowWriter(report, thresholds)
    proc = subprocess.Popen(
        child_command(local_path(report.file.name or ""), report.original_name, thresholds),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stderr is not None
    _widen_pipe(proc.stdout)
    error: tuple[str, dict[str, Any]] | None = None
    meta: dict[str, Any] | None = None
    try:
        for tag, value in _lines(proc.stdout):
            if tag == "T":
                writer.copy_row(value)
            elif tag == "M":
                writer.merges.append(value)
            elif tag == "H":
                writer.host(value)
            elif tag == "P":
                writer.progress(int(value[0]), int(value[1]))
            elif tag == "D":
                meta = value
            elif tag == "E":
                error = (str(value.get("code") or "unreadable"), dict(value.get("params") or {}))
            if writer.over_limit:
                error = ("too_many_findings", {"limit": settings.SCAN_MAX_FINDINGS})
                proc.kill()
                break
        writer.flush()
    except Exception as exc:  # a broken line, a database error: the job fails, cleanly
        log.exception("scan job %s", report.pk)
        proc.kill()
        writer.abort()
        error = error or ("cannot_read", {"detail": str(exc)[:200]})
    finally:
        proc.stdout.close()
        stderr = proc.stderr.read(4000).decode("utf-8", "replace")
        proc.stderr.close()
        code = proc.wait()
    if error is None and meta is None:
        error = _exit_reason(code, stderr)
    if error is not None:
        return _fail(report, *error)
    assert meta is not None
    return _finish(report, meta, writer)


def _widen_pipe(stream: IO[bytes]) -> None:
    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setsize is None:
        return
    # Above /proc/sys/fs/pipe-max-size it is refused: the default pipe works too.
    with contextlib.suppress(OSError):
        fcntl.fcntl(stream.fileno(), setsize, PIPE_BYTES)


def _exit_reason(code: int, stderr: str) -> tuple[str, dict[str, Any]]:
    if code == -signal.SIGXCPU:
        return ("cpu_limit", {"limit": settings.SCAN_PARSE_CPU_SECONDS})
    if "MemoryError" in stderr or code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
        return ("memory_limit", {"limit": settings.SCAN_PARSE_MEMORY_MB})
    last = stderr.strip().splitlines()[-1:] or [f"exit status {code}"]
    return ("cannot_read", {"detail": last[0][:200]})


# The parent's part of every finding row: whose report it is (before the child's fields) and
# a new row's flags (after them: the newest report's findings are current, and no opinion
# answers them yet).
_ROW_FLAGS = {"current": True, "has_opinion": False}
# ScanFinding columns of a finding row, in the one order both ways in use: the child's COPY
# text rows on PostgreSQL (its T lines: host ... has_v2, rank; see ssmark.scans.worker) and
# the value tuples of `_RowWriter.values()` (COPY rows on PostgreSQL, executemany elsewhere).
_COLUMNS = (
    "report_id",
    "application_id",
    "host",
    "port",
    "check_name",
    "title",
    "cves",
    "base",
    "version",
    "vector",
    "band",
    "has_v2",
    "rank",
    *_ROW_FLAGS,
)
# The flags in COPY text format, appended to each of the child's rows.
_TEXT_FLAGS = "".join("\t" + ("t" if flag else "f") for flag in _ROW_FLAGS.values()).encode()


def _copy_statement() -> str:
    """PostgreSQL: COPY of finding rows in _COLUMNS order."""
    table = connection.ops.quote_name(ScanFinding._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    return f"COPY {table} ({columns}) FROM STDIN"


def insert_findings(rows: list[tuple[Any, ...]]) -> None:
    """Insert finding rows (values in _COLUMNS order) at once: COPY on PostgreSQL, one
    executemany elsewhere (the ORM's per-object work would dominate at 100k rows)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(_copy_statement()) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            table = connection.ops.quote_name(ScanFinding._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
            marks = ", ".join(["%s"] * len(_COLUMNS))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (our names)
            cursor.executemany(sql, rows)


class _OpenCopy:
    """PostgreSQL: one `COPY ... FROM STDIN` of finding rows kept open while the child's rows
    arrive, so the server stores them while the child reads on, instead of both waiting at
    each batch. The connection can run nothing else meanwhile: it is closed before any other
    query."""

    def __init__(self) -> None:
        self.opened = time.monotonic()
        self._stack = contextlib.ExitStack()
        cursor = self._stack.enter_context(connection.cursor())
        self._copy = self._stack.enter_context(cursor.cursor.copy(_copy_statement()))

    def write(self, data: bytes) -> None:
        self._copy.write(data)

    def close(self) -> None:
        """End the COPY: its rows are stored."""
        self._stack.close()


class _RowWriter:
    """Bulk-inserts findings and hosts as they arrive; reports progress on the row."""

    def __init__(self, report: ScanReport, thresholds: scans.Thresholds) -> None:
        self.report = report
        self.thresholds = thresholds
        self.pending: list[tuple[Any, ...]] = []
        self.merges: list[list[Any]] = []
        self.hosts: list[ScanHost] = []
        self.raw: list[bytes] = []
        self.text_prefix: bytes | None = (
            f"{report.pk}\t{report.application_id}\t".encode()
            if connection.vendor == "postgresql"
            else None
        )
        self.copy: _OpenCopy | None = None
        self.count = 0
        self.found = 0
        self.bytes = 0
        self._last = 0.0

    def copy_row(self, payload: bytes) -> None:
        """A T line of the child: straight into the open COPY on PostgreSQL, parsed
        elsewhere."""
        self.count += 1
        if self.text_prefix is not None:
            self.raw.append(self.text_prefix + payload[:-1] + _TEXT_FLAGS + b"\n")
            if len(self.raw) >= SEND_ROWS:
                self._send()
            return
        from ssmark.scans.worker import unescape

        fields = payload[:-1].decode().split("\t")
        host, port, check, title, cves, base, version, vector, band, has_v2, rank = fields
        value = None if base == "\\N" else float(base)
        self.pending.append(
            self.values(
                unescape(host),
                unescape(port),
                unescape(check),
                unescape(title),
                unescape(cves),
                value,
                unescape(version),
                unescape(vector),
                band,
                has_v2 == "t",
                float(rank),
            )
        )
        if len(self.pending) >= BATCH:
            self._write()

    def _send(self) -> None:
        """The text rows so far into the open COPY (opened when needed); every
        PROGRESS_SECONDS it is ended, so that its rows are stored and progress written."""
        if self.raw:
            self._send_now()
        if self.copy is not None and time.monotonic() - self.copy.opened >= PROGRESS_SECONDS:
            self._idle()
            self.progress(self.bytes)

    def _idle(self) -> None:
        """The connection free for other queries: the open COPY ended, its rows stored."""
        if self.raw:
            self._send_now()
        self._end_copy()

    def _end_copy(self) -> None:
        if self.copy is not None:
            copy, self.copy = self.copy, None
            copy.close()

    def _send_now(self) -> None:
        if self.copy is None:
            self.copy = _OpenCopy()
        self.copy.write(b"".join(self.raw))
        self.raw = []

    def abort(self) -> None:
        """The job failed: end an open COPY so that the connection can clean up. Its rows are
        stored and then removed with the rest (abandoning it instead would poison an
        enclosing transaction); a COPY the database itself refused has nothing to end."""
        self.raw = []
        with contextlib.suppress(Exception):
            self._end_copy()

    def values(self, *fields: Any) -> tuple[Any, ...]:
        """A row for `insert_findings`: the child's fields (host ... has_v2, rank) between
        the report's ids and the new row's flags, as `_COLUMNS` lists them."""
        return (self.report.pk, self.report.application_id, *fields, *_ROW_FLAGS.values())

    @property
    def over_limit(self) -> bool:
        return self.count > settings.SCAN_MAX_FINDINGS

    def _row(self, row: list[Any]) -> ScanFinding:
        host, port, check, title, cves, base, version, vector, has_v2 = row
        return ScanFinding(
            report_id=self.report.pk,
            application_id=self.report.application_id,
            host=host,
            port=port,
            check_name=check,
            title=title,
            cves=cves,
            base=base,
            version=version,
            vector=vector,
            band=self.thresholds.band(base),
            has_v2=bool(has_v2),
            rank=-1.0 if base is None else base,
        )

    def host(self, row: list[Any]) -> None:
        key, ip, names, finished = row
        when = datetime.datetime.fromisoformat(finished) if finished else None
        self.hosts.append(
            ScanHost(report_id=self.report.pk, key=key, ip=ip, names=names, finished_at=when)
        )
        if len(self.hosts) >= BATCH:
            self._idle()
            ScanHost.objects.bulk_create(self.hosts)
            self.hosts = []

    def progress(self, bytes_read: int, found: int = 0) -> None:
        """Bytes read and findings so far (the parser's count, or the rows written). Written
        to the row at most every PROGRESS_SECONDS, and while a COPY is open when it closes."""
        self.bytes = bytes_read
        self.found = max(self.found, found)
        if self.copy is not None:
            return
        now = time.monotonic()
        if now - self._last >= PROGRESS_SECONDS:
            self._last = now
            ScanReport.objects.filter(pk=self.report.pk).update(
                bytes_done=bytes_read,
                finding_count=max(self.count, self.found),
                heartbeat=clock.now(),
            )

    def _write(self) -> None:
        self._idle()
        insert_findings(self.pending)
        self.pending = []
        self.progress(self.bytes)

    def flush(self) -> None:
        if self.pending or self.raw or self.copy is not None:
            self._write()
        if self.hosts:
            ScanHost.objects.bulk_create(self.hosts)
            self.hosts = []
        for row in self.merges:  # a host the report listed twice: rare, one row at a time
            new = self._row(row)
            old = ScanFinding.objects.filter(
                report_id=self.report.pk, host=new.host, port=new.port, check_name=new.check_name
            ).first()
            if old is None:
                new.save()
                self.count += 1
            elif (new.base or 0.0) > (old.base or 0.0):
                new.pk = old.pk
                new.save()
        self.merges = []


def _clear_rows(report: ScanReport) -> None:
    ScanFinding.objects.filter(report_id=report.pk).delete()
    ScanHost.objects.filter(report_id=report.pk).delete()


def _fail(report: ScanReport, code: str, params: dict[str, Any]) -> ScanReport:
    with transaction.atomic():
        _clear_rows(report)
        name, sha256 = report.file.name or "", report.sha256
        ScanReport.objects.filter(pk=report.pk).update(
            state=ScanState.FAILED,
            error_code=code,
            error_params=params,
            finding_count=0,
            host_count=0,
            file="",
            heartbeat=clock.now(),
        )
        release(name, sha256=sha256, organisation_id=report.application.organisation_id)
        audit(
            actor=report.uploaded_by,
            action="ssmark.application.scan_report_failed",
            target=report.application,
            data={"report": report.pk, "name": report.original_name, "error": code},
        )
        scangate.refresh(report.application)
    report.refresh_from_db()
    return report


def _finish(report: ScanReport, meta: dict[str, Any], writer: _RowWriter) -> ScanReport:
    finished = meta.get("finished")
    finished_at = datetime.datetime.fromisoformat(finished) if finished else None
    with transaction.atomic():
        ScanReport.objects.filter(pk=report.pk).update(
            state=ScanState.DONE,
            format=meta.get("format", ""),
            scanned_on=finished_at.astimezone(scans.SCHEME_TZ).date() if finished_at else None,
            summary={k: meta.get(k) for k in ("scanner", "scanner_version", "started", "finished")}
            | {"notes": meta.get("notes", [])},
            host_count=int(meta.get("hosts", 0)),
            finding_count=writer.count,
            without_v2_count=int(meta.get("without_v2", 0)),
            bytes_done=report.size,
            heartbeat=clock.now(),
        )
        report.refresh_from_db()
        audit(
            actor=report.uploaded_by,
            action="ssmark.application.scan_report_read",
            target=report.application,
            data={
                "report": report.pk,
                "name": report.original_name,
                "format": report.format,
                "scanned_on": str(report.scanned_on or ""),
                "hosts": report.host_count,
                "findings": report.finding_count,
            },
        )
        scangate.refresh(report.application)
    if connection.vendor == "postgresql" and writer.count >= BATCH:
        # A report can double the table at once: fresh statistics keep the pages on the
        # ordered index (stale ones make PostgreSQL sort every row of the application).
        table = connection.ops.quote_name(ScanFinding._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return report


def start_worker_processes() -> list[subprocess.Popen[bytes]]:
    """Start the scan-report workers (`ssmark run-jobs`) beside the web server, as many as
    SSMARK_SCAN_WORKERS (default 1; 0 when another host runs them). The server stops them
    with `stop_worker_processes()`; each one also ends by itself when this process is gone
    (killed, crashed): `--parent` below, see `follow_parent()`."""
    count = int(os.environ.get("SSMARK_SCAN_WORKERS", "1") or 0)
    command = [
        sys.executable,
        "-c",
        "from ssmark.cli import main; main()",
        "run-jobs",
        "--parent",
        str(os.getpid()),
    ]
    return [subprocess.Popen(command, stdin=subprocess.DEVNULL) for _ in range(max(0, count))]


def stop_worker_processes(procs: list[subprocess.Popen[bytes]], timeout: float = 10.0) -> None:
    """Terminate the workers (a job cut short is queued again: `recover_stale()`), wait for
    them, kill the ones still running after `timeout` seconds."""
    running = [proc for proc in procs if proc.poll() is None]
    for proc in running:
        proc.terminate()
    deadline = time.monotonic() + timeout
    for proc in running:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def parent_alive(parent: int) -> bool:
    """True while the process `parent` is still this one's parent (an orphan is adopted by
    another process, so its parent id changes)."""
    return os.getppid() == parent


_PR_SET_PDEATHSIG = 1


def follow_parent(parent: int) -> bool:
    """Have this worker end with its server `parent`. On Linux the kernel sends SIGTERM the
    moment the parent dies (prctl PR_SET_PDEATHSIG); everywhere, `serve_forever` checks the
    parent between polls. False when the parent is already gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            log.warning("scan job worker: prctl(PR_SET_PDEATHSIG) unavailable")
    # Checked after prctl: a parent that died before it sent no signal.
    return parent_alive(parent)
