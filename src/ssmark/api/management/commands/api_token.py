"""`ssmark api-token USERNAME [--name NAME] [--days N] [--read-only]`: print a new API token.

For scripts: the token acts with the person's roles and organisation; it is stored hashed and
printed once (on standard output, alone on its line). Creation is audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssmark.accounts.models import User
from ssmark.api.tokens import create_token
from ssmark.core.refusals import Refusal


class Command(BaseCommand):
    help = "Make an API token for USERNAME and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="script", help="what the token is for (script)")
        parser.add_argument("--days", type=int, default=None, help="valid for N days")
        parser.add_argument("--read-only", action="store_true", help="the token may only read")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['username']!r}")
        try:
            made = create_token(
                actor=None,
                user=user,
                name=options["name"],
                days=options["days"],
                read_only=options["read_only"],
            )
        except Refusal as exc:
            raise CommandError(exc.text) from None
        self.stdout.write(made.secret)
