"""`ssmark restore FILE [--force]`: load a backup into an empty database and data folder
(see ssmark.operations.backup)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and data folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a target that is not empty (its data and files are lost)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(options["file"], force=options["force"])
        except BackupError as exc:
            self.stderr.write(f"restore: {exc}")
            sys.exit(2)
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"restored {report.rows} rows and {report.files} uploaded file(s); every SHA-256 "
            "matched the manifest. Restart the server so it reads the restored keys."
        )
