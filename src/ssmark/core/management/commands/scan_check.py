"""`ssmark scan-check REPORT... --submitted YYYY-MM-DD [--roles ROLES.yaml] [--json]
[--criteria SET_ID]`: see ssmark.scans.cli, which does the work without Django.

The console script (`ssmark scan-check`) runs ssmark.scans.cli directly, skipping Django's
start-up; this command is the same for `django-admin`/`call_command` users.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.scans.cli import run


class Command(BaseCommand):
    help = "Check vulnerability-scan reports against the item 2-1-1 CVSS rule."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("arguments", nargs=argparse.REMAINDER, metavar="ARGS")

    def handle(self, *args: Any, **options: Any) -> None:
        sys.exit(run(options["arguments"]))
