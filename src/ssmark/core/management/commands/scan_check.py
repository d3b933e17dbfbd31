"""`ssmark scan-check REPORT... --submitted YYYY-MM-DD [--roles ROLES.yaml] [--json]
[--criteria SET_ID]`.

A thin wrapper over `ssmark.scans` (which does all the work without Django). The thresholds
(fail_at, statement_at, max_age_months, v3/v4 fallback) are those of the criteria set
(default: the built-in default set). Exit codes: 0 passed (nothing blocks, every report
fresh), 1 not passed, 2 a file could not be read (one stderr line names the file and the
problem). Needs no database. Reports are read streaming and only findings at or above
statement_at are kept, and `--json` is written one finding at a time: memory stays flat.
"""

from __future__ import annotations

import sys
import zoneinfo
from datetime import date
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from ssmark import criteria
from ssmark.scans import Finding, ReportError, Thresholds, evaluate, load_roles, parse_report
from ssmark.scans.render import render
from ssmark.scans.times import SCHEME_TZ


def _date(text: str) -> date:
    return date.fromisoformat(text)


class _Keep:
    """Sink that keeps only the findings the verdict lists (base >= statement_at)."""

    def __init__(self, floor: float) -> None:
        self.floor = floor
        self.kept: list[Finding] = []

    def findings(self, batch: list[Finding], merge: bool) -> None:
        floor = self.floor
        self.kept.extend(f for f in batch if (f.base or 0.0) >= floor)

    def progress(self, bytes_read: int, findings: int) -> None:
        pass


class Command(BaseCommand):
    help = "Check vulnerability-scan reports against the item 2-1-1 CVSS rule."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reports", nargs="+", metavar="REPORT")
        parser.add_argument(
            "--submitted",
            required=True,
            type=_date,
            metavar="YYYY-MM-DD",
            help="the application's submission date",
        )
        parser.add_argument(
            "--roles",
            metavar="ROLES.yaml",
            help="host -> role(s) among dns, mail, web, auth, router",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--criteria",
            metavar="SET_ID",
            help="criteria set whose thresholds apply (default: the default set)",
        )
        parser.add_argument("--lang", choices=("ja", "en"), default="ja")
        parser.add_argument(
            "--tz",
            default="Asia/Tokyo",
            help="zone of report times written without one (default JST)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            naive_tz = (
                SCHEME_TZ if options["tz"] == "Asia/Tokyo" else zoneinfo.ZoneInfo(options["tz"])
            )
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self._unreadable(f"--tz: unknown time zone {options['tz']!r}")
        try:
            cs = criteria.get_set(options["criteria"]) if options["criteria"] else None
            thresholds = Thresholds.of(cs or criteria.default_set())
        except (criteria.CriteriaError, ValueError) as exc:
            self._unreadable(f"--criteria: {exc}")
        try:
            roles = load_roles(options["roles"]) if options["roles"] else None
            reports = []
            for path in options["reports"]:
                keep = _Keep(thresholds.statement_at)
                report = parse_report(path, naive_tz=naive_tz, sink=keep)
                report.findings = keep.kept
                reports.append(report)
        except ReportError as exc:
            self._unreadable(str(exc))
        verdict = evaluate(reports, options["submitted"], roles, thresholds=thresholds)
        if options["json"]:
            verdict.write_json(sys.stdout)
        else:
            self.stdout.write(render(verdict, options["lang"]))
        self.stdout.flush()
        sys.stdout.flush()
        sys.exit(0 if verdict.passed else 1)

    def _unreadable(self, message: str) -> NoReturn:
        self.stderr.write(f"scan-check: {' '.join(message.split())}")
        self.stderr.flush()
        sys.exit(2)
