"""`ssmark import-people FILE.csv [--dry-run]`: send invitations in bulk (all or nothing).

Exit 0 with the number of invitations sent; exit 2 with every problem on stderr as
`line N: column: what is wrong`, having sent nothing. See ssmark.people.bulk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.operations.tabular import ImportRefused
from ssmark.people.bulk import import_people


class Command(BaseCommand):
    help = "Invite people in bulk from a CSV file (email, organisation, roles, names)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sent = import_people(options["file"], dry_run=options["dry_run"])
        except ImportRefused as exc:
            exc.exit(self.stderr, "no invitation was sent")
        if options["dry_run"]:
            self.stdout.write("dry run: every row is right; nothing was sent")
        else:
            self.stdout.write(f"{len(sent)} invitation(s) sent")
