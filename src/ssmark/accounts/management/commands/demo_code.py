"""`ssmark demo-code`: the current second-factor code of the demo staff (published demo key).

It knows only the demo key printed by `ssmark demo`; it cannot give a code for any real account.
"""

from __future__ import annotations

from typing import Any

import pyotp
from django.core.management.base import BaseCommand

from ssmark.accounts.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current 6-digit code for the demo staff accounts (demo key only)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        totp = pyotp.TOTP(DEMO_TOTP_SECRET)
        self.stdout.write(totp.now())
