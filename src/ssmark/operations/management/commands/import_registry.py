"""`ssmark import-registry FILE [--dry-run]`: load today's licence registry (CSV or .xlsx).

Exit 0 with a summary (created, updated, unchanged); exit 2 with every problem on stderr as
`line N: column: what is wrong`, having written nothing. See ssmark.operations.registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.operations.registry import import_registry
from ssmark.operations.tabular import ImportRefused


class Command(BaseCommand):
    help = "Import the licence registry from a CSV or .xlsx file (all or nothing, idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = import_registry(options["file"], dry_run=options["dry_run"])
        except ImportRefused as exc:
            exc.exit(self.stderr, "nothing was imported")
        prefix = "dry run (nothing written): " if options["dry_run"] else ""
        self.stdout.write(prefix + summary.line())
