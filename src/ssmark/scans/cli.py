"""`ssmark scan-check REPORT... --submitted YYYY-MM-DD [--roles ROLES.yaml] [--json]
[--criteria SET_ID] [--lang ja|en] [--tz ZONE]`, without Django.

The console script runs this directly (no Django start-up: the command's time is the
parser's); the `scan_check` management command calls it too. The thresholds (fail_at,
statement_at, max_age_months, v3/v4 fallback) are those of the criteria set (default: the
built-in default set). Exit codes: 0 passed (nothing blocks, every report fresh), 1 not
passed, 2 a file could not be read (one stderr line names the file and the problem). Reports
are read streaming and only findings at or above statement_at are kept; `--json` is written
one finding at a time: memory stays flat.
"""

from __future__ import annotations

import argparse
import sys
import zoneinfo
from collections.abc import Sequence
from datetime import date, tzinfo
from typing import TextIO

from . import ReportError, Thresholds, evaluate, load_roles, parse_report, tune_gc_for_parsing
from .model import Finding
from .render import render
from .times import SCHEME_TZ


class _Keep:
    """Sink that keeps only the findings the verdict lists (base >= statement_at)."""

    def __init__(self, floor: float) -> None:
        self.floor = floor
        self.kept: list[Finding] = []

    def findings(self, batch: list[Finding], merge: bool) -> None:
        floor = self.floor
        self.kept.extend(f for f in batch if f.scores and (f.base or 0.0) >= floor)

    def progress(self, bytes_read: int, findings: int) -> None:
        pass


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ssmark scan-check",
        description="Check vulnerability-scan reports against the item 2-1-1 CVSS rule.",
    )
    p.add_argument("reports", nargs="+", metavar="REPORT")
    p.add_argument(
        "--submitted",
        required=True,
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the application's submission date",
    )
    p.add_argument(
        "--roles", metavar="ROLES.yaml", help="host -> role(s) among dns, mail, web, auth, router"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--criteria",
        metavar="SET_ID",
        help="criteria set whose thresholds apply (default: the default set)",
    )
    p.add_argument("--lang", choices=("ja", "en"), default="ja")
    p.add_argument(
        "--tz", default="Asia/Tokyo", help="zone of report times written without one (default JST)"
    )
    return p


def run(argv: Sequence[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    options = parser().parse_args(list(argv))

    def unreadable(message: str) -> int:
        err.write(f"scan-check: {' '.join(message.split())}\n")
        err.flush()
        return 2

    naive_tz: tzinfo
    try:
        naive_tz = SCHEME_TZ if options.tz == "Asia/Tokyo" else zoneinfo.ZoneInfo(options.tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return unreadable(f"--tz: unknown time zone {options.tz!r}")
    from ssmark import criteria

    try:
        cs = criteria.get_set(options.criteria) if options.criteria else criteria.default_set()
        thresholds = Thresholds.of(cs)
    except (criteria.CriteriaError, ValueError) as exc:
        return unreadable(f"--criteria: {exc}")
    try:
        roles = load_roles(options.roles) if options.roles else None
        reports = []
        for path in options.reports:
            keep = _Keep(thresholds.statement_at)
            report = parse_report(path, naive_tz=naive_tz, sink=keep)
            report.findings = keep.kept
            reports.append(report)
    except ReportError as exc:
        return unreadable(str(exc))
    verdict = evaluate(reports, options.submitted, roles, thresholds=thresholds)
    if options.json:
        verdict.write_json(out)
    else:
        out.write(render(verdict, options.lang) + "\n")
    out.flush()
    return 0 if verdict.passed else 1


def main(argv: Sequence[str] | None = None) -> None:
    tune_gc_for_parsing()
    sys.exit(run(sys.argv[1:] if argv is None else argv))
