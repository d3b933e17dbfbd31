"""Benchmark: our streaming parser against a bare lxml iterparse pass (the floor).

    .venv/bin/python bench/scans/bench.py bench/out/nessus-1024mb.nessus bench/out/openvas-1024mb.xml

Each measurement runs in a fresh child process; its peak RSS comes from os.wait4's
rusage of that child alone. Speed is measured in CPU time (time.process_time around the
parse, imports excluded) so that other load on a shared machine does not skew it; wall
time is shown too. The floor reads the file the way our parser does (a file object,
1 MiB chunks): the fastest bare pass we found, so the ratio is not flattered.
Targets (issue 3): peak RSS < 250 MB on a 1 GB file, speed >= half the bare pass.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import sys, time, json
from lxml import etree
mode, path = sys.argv[1], sys.argv[2]
if mode != "bare":
    from ssmark.scans import parse_report
t = time.perf_counter()
c = time.process_time()
if mode == "bare":
    n = 0
    with open(path, "rb") as handle:
        for _event, elem in etree.iterparse(handle, events=("end",), resolve_entities=False,
                                            no_network=True, huge_tree=False,
                                            chunk_size=1 << 20):
            elem.clear()
            n += 1
    info = {"elements": n}
else:
    report = parse_report(path)
    info = {"hosts": len(report.hosts), "findings": len(report.findings),
            "scored": sum(1 for f in report.findings if f.scores)}
print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c, **info}))
"""


def measure(mode: str, path: Path) -> dict[str, float]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, mode, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{mode} run on {path} failed ({proc.returncode})")
    result = json.loads(out)
    result["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="scan parser benchmark")
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    print(
        f"{'file':<26} {'run':<7} {'MB':>6} {'wall s':>7} {'CPU s':>7} {'MB/s':>7} "
        f"{'peak RSS MB':>12}  detail"
    )
    for path in args.files:
        size_mb = path.stat().st_size / 1e6
        bare = measure("bare", path)
        ours = measure("parser", path)
        for name, r in (("bare", bare), ("ssmark", ours)):
            detail = {k: v for k, v in r.items() if k not in ("seconds", "cpu", "peak_rss_mb")}
            print(
                f"{path.name:<26} {name:<7} {size_mb:>6.0f} {r['seconds']:>7.1f} "
                f"{r['cpu']:>7.1f} {size_mb / r['cpu']:>7.1f} {r['peak_rss_mb']:>12.0f}  "
                f"{detail}"
            )
        ratio = bare["cpu"] / ours["cpu"]
        print(
            f"{path.name:<26} speed vs bare pass: {ratio:.2f} (target >= 0.50), "
            f"peak RSS {ours['peak_rss_mb']:.0f} MB (target < 250)"
        )


if __name__ == "__main__":
    main()
