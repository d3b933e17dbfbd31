"""Sign-in throttling that cannot be raced and cannot lock the whole site out.

How it works (docs/security.md says what an attacker can and cannot do with it):

- Every attempt writes its row *before* the password (or code) is checked, then counts the rows
  in the window. Rows are committed one by one, so the k-th attempt to commit sees at least k
  rows: however many arrive in parallel, at most the limit of them get to check a password.
  A refused attempt removes its row again (it checked nothing); a right password or code
  removes it too (it was no failure).
- Passwords: limits per (account, address), per account from any address, and per address for
  any account. The address is the client's, taken from X-Forwarded-For only through the
  configured number of trusted proxies (`SSMARK_TRUSTED_PROXIES`, default 0 = REMOTE_ADDR).
  None of the three stops a different account signing in from a different address.
- Second-factor codes: counted per account on their own. Only a right code clears them, so
  entering the password again does not buy new guesses.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest

from ssmark.core import clock

from .models import LoginFailure

PASSWORD = LoginFailure.PASSWORD
CODE = LoginFailure.CODE


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with N trusted proxies in front the N-th entry of
    X-Forwarded-For counted from the right (the one the outermost trusted proxy saw)."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = int(settings.SSMARK_TRUSTED_PROXIES)
    if hops <= 0:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [part.strip() for part in header.split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _window_start() -> datetime:
    return clock.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


@dataclass(frozen=True)
class Attempt:
    """A recorded attempt; call `succeeded()` when the password or code was right."""

    row_id: int
    kind: str
    username: str
    ip_address: str | None

    def succeeded(self) -> None:
        LoginFailure.objects.filter(pk=self.row_id).delete()
        if self.kind == CODE:
            LoginFailure.objects.filter(kind=CODE, username__iexact=self.username).delete()
        else:
            LoginFailure.objects.filter(
                kind=PASSWORD, username__iexact=self.username, ip_address=self.ip_address
            ).delete()


def _over_limit(row: LoginFailure) -> bool:
    recent = LoginFailure.objects.filter(kind=row.kind, created__gte=_window_start())
    account = recent.filter(username__iexact=row.username)
    if row.kind == CODE:
        return account.count() > settings.LOGIN_CODE_FAILURE_LIMIT
    if account.filter(ip_address=row.ip_address).count() > settings.LOGIN_FAILURE_LIMIT:
        return True
    if account.count() > settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT:
        return True
    return bool(
        row.ip_address
        and recent.filter(ip_address=row.ip_address).count()
        > settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


def begin(*, kind: str, username: str, ip_address: str | None) -> Attempt | None:
    """Record an attempt; None when it is over a limit (nothing may be checked then)."""
    row = LoginFailure.objects.create(kind=kind, username=username[:150], ip_address=ip_address)
    if _over_limit(row):
        row.delete()
        return None
    # Old rows carry no information once outside the window.
    LoginFailure.objects.filter(created__lt=_window_start() - timedelta(days=1)).delete()
    return Attempt(row.pk, kind, row.username, ip_address)
