"""`ssmark state_diagram`: write docs/states.md (Mermaid) from the state tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from ssmark.core import statetables

DOC = Path(__file__).resolve().parents[5] / "docs" / "states.md"


class Command(BaseCommand):
    help = "Write docs/states.md from the state tables (states.py beside each model)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", default=str(DOC), help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        statetables.load_all()
        path = Path(options["output"])
        path.write_text(statetables.diagrams(), encoding="utf-8")
        self.stdout.write(f"wrote {path}")
