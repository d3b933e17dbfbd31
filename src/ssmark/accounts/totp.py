"""TOTP (RFC 6238) two-factor sign-in for staff roles, with replay protection."""

from __future__ import annotations

import time

import pyotp

from .models import User

ISSUER = "ssmark"


def new_secret() -> str:
    return str(pyotp.random_base32())


def provisioning_uri(user: User, secret: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER))


def verify(user: User, code: str, *, secret: str | None = None) -> bool:
    """Check a 6-digit code (one step of clock drift allowed); a code is accepted only once."""
    secret = secret or user.totp_secret
    code = "".join(code.split())
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    for step in (now_step - 1, now_step, now_step + 1):
        if step <= user.totp_last_step:
            continue
        if totp.at(step * totp.interval) == code:
            user.totp_last_step = step
            user.save(update_fields=["totp_last_step"])
            return True
    return False
