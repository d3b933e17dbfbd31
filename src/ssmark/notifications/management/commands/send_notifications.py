"""`ssmark send_notifications`: the scheduled job of the fees and notifications apps.

1. raises the annual mark usage fees that fell due (each licence year once);
2. finds invoices that became overdue and writes their overdue notifications (once each);
3. e-mails every pending notification through Django's e-mail backend, claiming each row
   first, so that two runs, one after another or at the same time, never send one twice.

Cron (every 10 minutes; see docs/fees-and-notifications.md):
    */10 * * * *  cd /srv/ssmark && .venv/bin/ssmark send-notifications --quiet-if-idle
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssmark.core.jobs import record_run
from ssmark.fees import services as fees
from ssmark.notifications.services import deliver_pending


class Command(BaseCommand):
    help = (
        "Raise due annual fees, detect overdue invoices and e-mail pending notifications "
        "(safe to run twice, and concurrently)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="e-mails per run (500)")
        parser.add_argument(
            "--today", help="act as if today were YYYY-MM-DD (Asia/Tokyo); for tests and catch-up"
        )
        parser.add_argument(
            "--no-fees", action="store_true", help="only deliver e-mails; skip fees and overdue"
        )
        parser.add_argument(
            "--release-stale",
            action="store_true",
            help="send again the e-mails whose earlier run was interrupted (may duplicate them)",
        )
        parser.add_argument("--quiet-if-idle", action="store_true", help="print nothing if idle")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today: {exc}") from exc
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        raised: list[Any] = []
        overdue: list[Any] = []
        # Recorded for /healthz, which reports the job overdue when it stops succeeding.
        with record_run("send-notifications"):
            if not options["no_fees"]:
                raised = fees.raise_due_annual_fees(today=today)
                overdue = fees.detect_overdue(today=today)
            report = deliver_pending(limit=options["limit"], release_stale=options["release_stale"])
        idle = not (raised or overdue or report.sent or report.failed or report.retry)
        if options["quiet_if_idle"] and idle and not report.stale:
            return
        self.stdout.write(
            f"annual fee invoices raised: {len(raised)}; newly overdue invoices: {len(overdue)}; "
            f"e-mails sent: {report.sent}, to retry: {report.retry}, failed: {report.failed}"
        )
        if report.stale:
            self.stderr.write(
                f"{report.stale} e-mail(s) were claimed over an hour ago by a run that did not "
                "finish; check the mail log, then run with --release-stale to send them again."
            )
