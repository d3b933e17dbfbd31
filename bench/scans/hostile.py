"""How long the parser takes to refuse hostile input (XXE, billion laughs, an external DTD):
figures, not test assertions (moved from tests/scans/test_scan_hostile.py, issue 10.8; the
tests keep the behaviour checks).

    .venv/bin/python bench/scans/hostile.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ssmark.scans import ReportError, parse_report  # noqa: E402
from tests.scans.test_scan_hostile import FIXTURES, LAUGHS, XXE  # noqa: E402


def timed(label: str, path: Path) -> None:
    start = time.monotonic()
    try:
        parse_report(path)
        outcome = "parsed"
    except ReportError:
        outcome = "refused"
    print(f"{label}: {outcome} in {time.monotonic() - start:.3f} s")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for label, content in (("external entity", XXE), ("billion laughs", LAUGHS)):
            path = Path(tmp) / f"{label.replace(' ', '-')}.xml"
            path.write_bytes(content)
            timed(label, path)
        dtd = (
            (FIXTURES / "qualys_scan.xml")
            .read_bytes()
            .replace(b"https://qualysapi.qualys.com/scan-1.dtd", b"http://192.0.2.1:9/never.dtd")
        )
        path = Path(tmp) / "external-dtd.xml"
        path.write_bytes(dtd)
        timed("external DTD (not fetched)", path)


if __name__ == "__main__":
    main()
