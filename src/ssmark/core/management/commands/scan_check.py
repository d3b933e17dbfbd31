"""`ssmark scan-check REPORT... --submitted YYYY-MM-DD [--roles ROLES.yaml] [--json]`.

A thin wrapper over `ssmark.scans` (which does all the work without Django). Exit codes:
0 passed (nothing blocks, every report fresh), 1 not passed, 2 a file could not be read
(one stderr line names the file and the problem). Needs no database.
"""

from __future__ import annotations

import json
import sys
import zoneinfo
from datetime import date
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser

from ssmark.scans import ReportError, evaluate, load_roles, parse_report
from ssmark.scans.render import render
from ssmark.scans.times import SCHEME_TZ


def _date(text: str) -> date:
    return date.fromisoformat(text)


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
            roles = load_roles(options["roles"]) if options["roles"] else None
            reports = [parse_report(path, naive_tz=naive_tz) for path in options["reports"]]
        except ReportError as exc:
            self._unreadable(str(exc))
        verdict = evaluate(reports, options["submitted"], roles)
        if options["json"]:
            self.stdout.write(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(render(verdict, options["lang"]))
        self.stdout.flush()
        sys.exit(0 if verdict.passed else 1)

    def _unreadable(self, message: str) -> NoReturn:
        self.stderr.write(f"scan-check: {' '.join(message.split())}")
        self.stderr.flush()
        sys.exit(2)
