"""Every benchmark, one after another (`make bench`). Each prints its own figures.

    .venv/bin/python bench/run_all.py [--scan-size-mb 1024] [--mark-duration 10]

1. Scan reports (issue 3): generates a Nessus and an OpenVAS file of the given size under
   bench/out/ (git-ignored; reused when present) and compares our parser with a bare lxml
   iterparse pass: MB/s and peak RSS.
2. The live mark (issue 5): serves the app with `ssmark serve` on 127.0.0.1 and runs wrk
   against mark.svg, the verification page, the registry and a static file (the floor); on
   PostgreSQL too when DATABASE_URL is set.
3. The public surface against nginx (issue 12): the same endpoints as ratios to nginx serving
   the mark's SVG statically in the same run, with the targets, and how long a suspension
   takes to reach every server process (bench/public/run.py).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"


def run(*args: str | Path) -> None:
    print("$", " ".join(str(a) for a in args), flush=True)
    subprocess.run([sys.executable, *map(str, args)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scan-size-mb", type=int, default=1024)
    parser.add_argument("--mark-duration", type=int, default=10)
    parser.add_argument("--skip", choices=("scans", "mark", "public"), action="append", default=[])
    options = parser.parse_args()
    if "scans" not in options.skip:
        OUT.mkdir(exist_ok=True)
        files = []
        for fmt, suffix in (("nessus", "nessus"), ("openvas", "xml")):
            path = OUT / f"{fmt}-{options.scan_size_mb}mb.{suffix}"
            if not path.exists():
                run(
                    BENCH / "scans" / "generate.py",
                    "--format",
                    fmt,
                    "--size-mb",
                    str(options.scan_size_mb),
                    "--out",
                    path,
                )
            files.append(path)
        run(BENCH / "scans" / "bench.py", *files)
    if "mark" not in options.skip:
        run(BENCH / "mark" / "run.py", "--duration", str(options.mark_duration))
    if "public" not in options.skip:
        run(BENCH / "public" / "run.py", "--duration", str(options.mark_duration))


if __name__ == "__main__":
    main()
