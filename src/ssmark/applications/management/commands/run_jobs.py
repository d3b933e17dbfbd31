"""`ssmark run-jobs [--once]`: the worker that reads uploaded scan reports (item 2-1-1).

`ssmark serve` starts one beside the web server, with `--parent` (its own process id): that
worker ends with the server, even one killed outright. `--once` reads every queued report and
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
        parser.add_argument(
            "--parent",
            type=int,
            default=None,
            help="exit when this process (the server that started the worker) ends",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            done = scanjobs.run_pending()
            self.stdout.write(f"run-jobs: {done} scan report(s) read")
            return
        parent = options["parent"]
        if parent is not None and not scanjobs.follow_parent(parent):
            return  # the server is already gone
        self.stdout.write("run-jobs: waiting for scan reports (Ctrl-C stops)")
        self.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            scanjobs.serve_forever(options["poll"], parent=parent)
