"""`ssmark run-jobs [--once]`: the worker that reads uploaded scan reports (item 2-1-1).

`ssmark serve` starts one beside the web server. `--once` reads every queued report and
exits (for tests and cron); without it the worker polls for new uploads until stopped.
Several workers (on several hosts sharing the database) may run: each job is claimed by a
conditional update, so a report is read once.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.applications import scanjobs


class Command(BaseCommand):
    help = "Read queued scan reports (item 2-1-1) in capped child processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run queued jobs, then exit")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            done = scanjobs.run_pending()
            self.stdout.write(f"run-jobs: {done} scan report(s) read")
            return
        self.stdout.write("run-jobs: waiting for scan reports (Ctrl-C stops)")
        self.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            scanjobs.serve_forever(options["poll"])
