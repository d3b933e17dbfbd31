"""`ssmark backup FILE`: database, uploaded files, signing key and secret key in one archive
with a manifest of SHA-256 sums and the schema version (see ssmark.operations.backup)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup archive (database, uploaded files, signing key, secret key)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup(options["file"])
        except BackupError as exc:
            self.stderr.write(f"backup: {exc}")
            sys.exit(2)
        self.stdout.write(
            f"wrote {report.path} ({report.rows} rows, {report.files} uploaded file(s), "
            f"{report.bytes} bytes); it holds the keys: keep it private"
        )
