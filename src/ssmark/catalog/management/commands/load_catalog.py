"""`ssmark load_catalog`: store every shipped criteria set in the database (idempotent).

Sets come from the package (`ssmark/criteria/sets/`), from SSMARK_CRITERIA_DIRS and from any
`--dir`. A set already loaded is left alone; if its file changed since, that is an error.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssmark.catalog.services import CatalogConflict, sync_sets
from ssmark.criteria import CriteriaError, discover


class Command(BaseCommand):
    help = "Load the criteria sets (shipped YAML files) into the database; safe to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            action="append",
            default=[],
            dest="dirs",
            metavar="DIR",
            help="another directory of criteria-set YAML files (repeatable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = sync_sets(discover(options["dirs"]))
        except (CriteriaError, CatalogConflict) as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            if result.status == "loaded" or options["verbosity"] > 1:
                self.stdout.write(f"{result.status}: {result.set_id} ({result.items} items)")
        if options["verbosity"] > 0 and all(r.status == "unchanged" for r in results):
            self.stdout.write(f"criteria catalog up to date ({len(results)} set(s))")
