"""The `ssmark` console script: Django's management commands, with dashes allowed.

`ssmark scan-check ...` runs the `scan_check` management command.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssmark.settings")
    args = list(sys.argv if argv is None else argv)
    args[0] = "ssmark"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    if len(args) > 1 and args[1] == "scan_check":
        # Needs no database: run it without Django's start-up (half a second of CPU).
        from ssmark.scans.cli import main as scan_check

        scan_check(args[2:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
