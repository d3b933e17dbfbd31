"""`ssmark send-webhooks`: send the webhook deliveries that are due (safe to run twice, and
concurrently: each delivery is claimed before it is sent).

Cron (every minute, beside send-notifications):
    * * * * *  cd /srv/ssmark && .venv/bin/ssmark send-webhooks
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.core.jobs import record_run
from ssmark.webhooks.sender import send_due


class Command(BaseCommand):
    help = "Send due webhook deliveries, with retries and backoff (safe to run twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=200, help="deliveries per run (200)")

    def handle(self, *args: Any, **options: Any) -> None:
        with record_run("send-webhooks"):
            counts = send_due(limit=options["limit"])
        self.stdout.write(
            "webhooks: {delivered} delivered, {retrying} to retry, {failed} given up".format(
                **counts
            )
        )
