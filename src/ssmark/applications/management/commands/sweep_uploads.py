"""`ssmark sweep-uploads [--dry-run]`: remove stale temporary upload files, once.

A large upload arrives in a temporary file in SSMARK_UPLOAD_TEMP_DIR; one left there by a
server process killed mid-upload is removed after SSMARK_UPLOAD_TEMP_MAX_AGE_HOURS without a
write (see ssmark.applications.uploadtemp). The scan-report worker started by `ssmark serve`
already does this every few minutes; this command is for a host where no worker runs
(SSMARK_SCAN_WORKERS=0 with a folder of its own): run it from cron or a timer. Prints each file
removed (with --dry-run: each file that would be, removing nothing). Exits 1 if the folder or a
file could not be read or removed (each
logged on standard error).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssmark.applications import uploadtemp


class Command(BaseCommand):
    help = "Remove temporary upload files left behind by interrupted uploads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list the stale files, remove nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        result = uploadtemp.sweep(dry_run=dry_run)
        verb = "would remove" if dry_run else "removed"
        for path in result.removed:
            self.stdout.write(f"{verb} {path}")
        if dry_run:
            summary = f"{len(result.removed)} stale file(s) in {result.folder}, none removed"
        else:
            summary = f"{len(result.removed)} file(s) removed from {result.folder}"
        self.stdout.write(f"sweep-uploads: {summary}")
        if result.errors:
            raise CommandError(f"{result.errors} error(s), logged above")
