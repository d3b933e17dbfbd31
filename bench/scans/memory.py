"""Peak memory of parsing a scan report as the file grows (the parser streams): a figure, not a
test (moved from tests/scans/test_scan_memory.py, issue 10.8).

    .venv/bin/python bench/scans/memory.py

Prints, per format, the peak RSS (MB) of a child process parsing a 4 MB and a 40 MB report
with the same hosts, and the growth. A streaming parser grows by a few MB at most.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

CHILD = (
    "import sys, json; from ssmark.scans import parse_report; "
    "r = parse_report(sys.argv[1]); print(json.dumps(len(r.findings)))"
)


def peak_rss_mb(path: Path) -> float:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    json.loads(proc.stdout.read())
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"parsing {path} failed")
    return usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, make in (("nessus", generate.nessus), ("openvas", generate.openvas)):
            small, large = Path(tmp) / f"{fmt}-small", Path(tmp) / f"{fmt}-large"
            make(small, 4 * 1024 * 1024, 40, random.Random(1))
            make(large, 40 * 1024 * 1024, 40, random.Random(1))  # same hosts, 10x the bytes
            low, high = peak_rss_mb(small), peak_rss_mb(large)
            print(
                f"{fmt}: peak RSS {low:.0f} MB (4 MB file), {high:.0f} MB (40 MB file), "
                f"grew {high - low:.0f} MB"
            )


if __name__ == "__main__":
    main()
