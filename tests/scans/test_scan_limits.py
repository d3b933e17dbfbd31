"""The hostile shapes of issue 12.3, read by the capped worker (python -m ssmark.scans.worker,
RLIMIT_CPU and RLIMIT_AS as the web upload uses them): each is refused with a clear reason or
read completely; none ends with the kernel killing the worker."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ssmark.scans import ReportError, parse_report

CPU_SECONDS = 60
MEMORY_MB = 300


def run_worker(path: Path, max_record: int = 4 * 1024 * 1024) -> tuple[int, list[str]]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ssmark.scans.worker",
            str(path),
            "--cpu",
            str(CPU_SECONDS),
            "--memory-mb",
            str(MEMORY_MB),
            "--max-record",
            str(max_record),
            "--fail-at",
            "7.0",
            "--statement-at",
            "4.0",
        ],
        capture_output=True,
        check=False,
    )
    return proc.returncode, proc.stdout.decode().splitlines()


def last(lines: list[str]) -> tuple[str, dict[str, object]]:
    tag, _, value = lines[-1].partition(" ")
    return tag, json.loads(value)


def test_crafted_4mb_json_array_of_tiny_records_is_read_linearly(tmp_path: Path) -> None:
    """The array shape that cost 57 s of CPU (a buffer re-copied per record): ~4 MB of
    minimal Nuclei records; the reader keeps a position instead of slicing."""
    record = b'{"template-id":"t","host":"192.0.2.1"}'
    count = 4 * 1024 * 1024 // (len(record) + 1)
    path = tmp_path / "array.json"
    path.write_bytes(b"[" + b",".join([record] * count) + b"]")
    code, lines = run_worker(path)
    assert code == 0
    tag, done = last(lines)
    assert tag == "D" and done["format"] == "nuclei-jsonl"
    assert done["findings"] == 1 and done["hosts"] == 1  # one template on one host


def test_crafted_array_of_distinct_records(tmp_path: Path) -> None:
    records = [
        json.dumps({"template-id": f"t{i}", "host": f"192.0.2.{i % 250 + 1}"}).encode()
        for i in range(60_000)
    ]
    path = tmp_path / "array.json"
    path.write_bytes(b"[\n" + b",\n".join(records) + b"\n]")
    code, lines = run_worker(path)
    assert code == 0 and last(lines)[0] == "D"
    assert last(lines)[1]["findings"] == 60_000
    assert sum(1 for line in lines if line.startswith("T ")) == 60_000


def test_single_60mb_jsonl_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "one-line.jsonl"
    with path.open("wb") as out:
        out.write(b'{"template-id": "x", "host": "192.0.2.1", "info": {"name": "')
        chunk = b"A" * (1024 * 1024)
        for _ in range(60):
            out.write(chunk)
        out.write(b'"}}\n')
    code, lines = run_worker(path)
    assert code == 0
    tag, error = last(lines)
    assert tag == "E" and error["code"] == "record_too_long"
    assert error["params"] == {"limit": 4 * 1024 * 1024}


def test_single_huge_array_record_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "array.json"
    with path.open("wb") as out:
        out.write(b'[{"template-id": "x", "host": "192.0.2.1", "info": {"name": "')
        out.write(b"B" * (12 * 1024 * 1024))
        out.write(b'"}}]')
    code, lines = run_worker(path, max_record=2 * 1024 * 1024)
    assert code == 0
    tag, error = last(lines)
    assert tag == "E" and error["code"] == "record_too_long"


def test_the_100k_finding_nuclei_shape_scaled_down(tmp_path: Path) -> None:
    """The 34 MB / 100,000-finding report of the issue, at a fifth: many hosts and
    templates, CVSS vectors, every finding streamed out as a row."""
    path = tmp_path / "big.jsonl"
    with path.open("w") as out:
        for i in range(20_000):
            record = {
                "template-id": f"CVE-2024-{i % 4000:04d}",
                "info": {
                    "name": f"check {i % 4000}",
                    "classification": {
                        "cve-id": [f"CVE-2024-{i % 4000:04d}"],
                        "cvss-metrics": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
                    },
                },
                "host": f"https://h{i // 5}.example.jp",
                "ip": f"10.{i // 5 // 65536 % 256}.{i // 5 // 256 % 256}.{i // 5 % 256}",
                "timestamp": "2026-11-20T10:00:00+09:00",
                "matched-at": f"https://h{i // 5}.example.jp/x",
                "type": "http",
            }
            out.write(json.dumps(record) + "\n")
    code, lines = run_worker(path)
    assert code == 0
    tag, done = last(lines)
    assert tag == "D" and done["findings"] == 20_000 and done["hosts"] == 4000
    assert done["without_v2"] == 20_000  # v3.1 vectors only: condition 1 is flagged
    first = next(line for line in lines if line.startswith("T "))[2:].split("\t")
    assert first[5:11] == [
        "5.3",
        "3.1",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
        "statement",
        "f",
        "5.3",
    ]


def test_a_line_past_the_record_limit_is_refused_in_process(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'{"template-id": "x", "host": "h", "p": "' + b"C" * 5000 + b'"}\n')
    try:
        parse_report(path, max_record=1000)
    except ReportError as exc:
        assert exc.code == "record_too_long" and exc.params == {"limit": 1000}
    else:  # pragma: no cover
        raise AssertionError("not refused")
