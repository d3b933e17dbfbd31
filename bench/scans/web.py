"""Benchmark: a scan report through the application vs `ssmark scan-check` vs bare lxml.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ssmark_scanbench \\
        .venv/bin/python bench/scans/web.py bench/out/real-200mb.nessus

Measures, on one file (issue 12.3 targets in brackets):
- bare: one lxml iterparse pass over the file (the floor);
- scan-check: `ssmark scan-check FILE --json` as a child process [whole command <= 1.3x bare];
- web: the upload service storing the file and queueing the job (what the upload request
  does with what Django hands it: a TemporaryUploadedFile in FILE_UPLOAD_TEMP_DIR, hashed and
  moved into the evidence folder), then the job as the worker runs it (capped child parser +
  row writer), until the stored result [upload to stored result <= 2x scan-check];
- peak RSS of every process involved (this process is the worker; the parser is its child)
  [<= 300 MB];
- the scan page's first screen (GET, signed in, the report's 100k+ findings present), the
  median of 5 [<= 300 ms].
Wall and CPU (user+sys) time are both shown: on a shared machine CPU time is the steadier.
The database is set up with `migrate` and `demo` (idempotent); evidence goes to a temporary
folder (SSMARK_EVIDENCE_DIR), Django's upload temporary files next to it. The HTTP transfer
of the upload itself is not measured: it is modelled, before the clock starts, by copying the
file into the TemporaryUploadedFile that Django's upload handler would have written.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BARE = r"""
import sys
from lxml import etree
with open(sys.argv[1], "rb") as handle:
    for _e, elem in etree.iterparse(handle, events=("end",), resolve_entities=False,
                                    no_network=True, huge_tree=False, chunk_size=1 << 20):
        elem.clear()
"""


def child(cmd: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, cwd=ROOT)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    return {
        "wall": time.perf_counter() - start,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
    }


def best(cmd: list[str], runs: int) -> dict[str, float]:
    results = [child(cmd) for _ in range(runs)]
    return {
        "wall": min(r["wall"] for r in results),
        "cpu": min(r["cpu"] for r in results),
        "rss_mb": max(r["rss_mb"] for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="runs of bare and scan-check")
    args = parser.parse_args()
    path = args.file.resolve()
    size_mb = path.stat().st_size / 1e6
    py = sys.executable
    ssmark = str(Path(py).parent / "ssmark")

    bare = best([py, "-c", BARE, str(path)], args.runs)
    check = best(
        [ssmark, "scan-check", str(path), "--submitted", time.strftime("%Y-%m-%d"), "--json"],
        args.runs,
    )

    print(f"bare: {bare}; scan-check: {check}", flush=True)
    # The upload limit must admit the file (a "1 GB" file is a little over 1024 MiB).
    os.environ.setdefault("SSMARK_MAX_SCAN_REPORT_MB", str(int(size_mb / 1.048576) + 64))
    # Evidence and (by default, next to it) the upload temporary folder: one filesystem.
    evidence = Path(tempfile.mkdtemp(prefix="scanbench-")) / "evidence"
    os.environ.setdefault("SSMARK_EVIDENCE_DIR", str(evidence))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssmark.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import TemporaryUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from ssmark.accounts.models import Organisation, User
    from ssmark.applications import scanjobs, services

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    alice = User.objects.get(username="alice")
    body = Organisation.objects.get(code="JAIPA")
    app = services.create_application(
        actor=alice, reception_body=body, service_name="bench", responsible_manager="山田 太郎"
    )
    # The HTTP transfer (not measured): Django's upload handler streams a body larger than
    # FILE_UPLOAD_MAX_MEMORY_SIZE into a TemporaryUploadedFile in FILE_UPLOAD_TEMP_DIR.
    upload = TemporaryUploadedFile(path.name, "application/octet-stream", path.stat().st_size, None)
    with path.open("rb") as handle:
        shutil.copyfileobj(handle, upload.file, 1024 * 1024)
    upload.file.flush()
    os.fsync(upload.file.fileno())  # the transfer's writeback is not charged to the upload
    upload.seek(0)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with upload:  # closed as Django closes it after the request (the file was moved: no error)
        report = services.upload_scan_report(
            actor=alice, application=app, upload=upload, background=True
        )
    queued = time.perf_counter() - start
    scanjobs.run_pending()
    stored = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    report.refresh_from_db()
    worker_cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    parser_cpu = (kids.ru_utime - kids0.ru_utime) + (kids.ru_stime - kids0.ru_stime)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(alice)
    url = f"/applications/{app.pk}/scan/"
    client.get(url)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200
    page_ms = statistics.median(times) * 1000

    print(
        f"file {path.name}: {size_mb:.0f} MB; report {report.state}, "
        f"{report.host_count} hosts, {report.finding_count} findings"
    )
    print(f"{'run':<34} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    print(
        f"{'bare lxml iterparse':<34} {bare['wall']:>8.2f} {bare['cpu']:>8.2f} {bare['rss_mb']:>12.0f}"
    )
    print(
        f"{'ssmark scan-check --json':<34} {check['wall']:>8.2f} {check['cpu']:>8.2f} {check['rss_mb']:>12.0f}"
    )
    print(f"{'web: upload returns (queued)':<34} {queued:>8.2f}")
    print(
        f"{'web: upload to stored result':<34} {stored:>8.2f} {worker_cpu + parser_cpu:>8.2f} "
        f"{max(cpu1.ru_maxrss, kids.ru_maxrss) / 1024:>12.0f}"
    )
    print(
        f"   worker (this process) peak RSS {cpu1.ru_maxrss / 1024:.0f} MB, "
        f"parser child peak RSS {kids.ru_maxrss / 1024:.0f} MB"
    )
    print(f"scan page first screen: median {page_ms:.0f} ms (target <= 300)")
    print(
        f"scan-check / bare: wall {check['wall'] / bare['wall']:.2f}x, "
        f"CPU {check['cpu'] / bare['cpu']:.2f}x (target <= 1.3)"
    )
    print(f"web stored result / scan-check: wall {stored / check['wall']:.2f}x (target <= 2)")


if __name__ == "__main__":
    main()
