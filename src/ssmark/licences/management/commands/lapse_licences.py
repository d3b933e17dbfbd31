"""`ssmark lapse_licences`: the daily licence job (cron it, e.g. `5 0 * * *`).

Lapses licences whose validity ended without an approved renewal, and sends the renewal
reminders that are due (window open; deadline approaching), each once per validity period.
Safe to run twice: a second run on the same day changes nothing and sends nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssmark.core.jobs import record_run
from ssmark.licences.services import run_daily


class Command(BaseCommand):
    help = "Lapse expired licences and send due renewal reminders (idempotent, cron-able)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="run as if today were this date (YYYY-MM-DD); default: today in TIME_ZONE",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {exc}") from exc
        # Recorded for /healthz, which reports the job overdue after a day without a success.
        with record_run("lapse-licences"):
            report = run_daily(today=today)
        for number in report.lapsed:
            self.stdout.write(f"lapsed {number}")
        for number, kind, deadline in report.reminders:
            self.stdout.write(f"reminder {kind} {number} (deadline {deadline.isoformat()})")
        self.stdout.write(
            f"{len(report.lapsed)} licence(s) lapsed, {len(report.reminders)} reminder(s) sent"
        )
