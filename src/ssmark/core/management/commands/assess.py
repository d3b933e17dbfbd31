"""`ssmark assess ANSWERS.yaml [--json] [--lang ja|en]`: would this application pass?

Works from the criteria-set files alone (no database). Exit status: 0 it would pass,
1 it would not, 2 bad input (one line on stderr naming the file and the problem).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ssmark.criteria import AnswerError, assess, read_answers, render_report

EXIT_FAIL = 1
EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Assess an answers file against a criteria set: exit 0 pass, 1 fail, 2 bad input."
    # Nothing here touches the database or needs the project's checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("answers", metavar="ANSWERS.yaml", help="the answers file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--lang", choices=("ja", "en"), default="ja", help="language of the report"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["answers"]
        lang: str = options["lang"]
        try:
            answers = read_answers(path)
        except AnswerError as exc:
            # One line, whatever the message: a caller may read stderr line by line.
            self.stderr.write(" ".join(f"{path}: {exc}".split()))
            sys.exit(EXIT_BAD_INPUT)
        verdict = assess(answers.criteria, answers.review, answers.answers)
        if options["json"]:
            self.stdout.write(json.dumps(verdict.to_dict(lang), ensure_ascii=False))
        else:
            self.stdout.write(render_report(verdict, answers.criteria, lang), ending="")
        self.stdout.flush()
        if not verdict.passed:
            sys.exit(EXIT_FAIL)
