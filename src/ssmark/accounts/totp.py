"""TOTP (RFC 6238) two-factor sign-in, with replay protection, one-time recovery codes and an
enrolment QR code (inline SVG, no image request, no third party)."""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import time
from typing import Any

import pyotp
from django.conf import settings
from django.db import transaction

from ssmark.core import clock
from ssmark.core.models import audit

from .models import RecoveryCode, User

ISSUER = "ssmark"
QR_SIZE = 'width="240" height="240" role="img" aria-label="QR"'
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_secret() -> str:
    return str(pyotp.random_base32())


def provisioning_uri(user: User, secret: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER))


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline <svg> element (no XML declaration)."""
    # Imported here, on the enrolment page only: the admin imports this module at every start.
    import qrcode  # type: ignore[import-untyped]
    import qrcode.image.svg  # type: ignore[import-untyped]

    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    text = buffer.getvalue().decode("utf-8")
    svg = text[text.index("<svg") :]
    # A size a phone camera reads from a screen (the viewBox keeps the drawing).
    return re.sub(r'width="[^"]*" height="[^"]*"', QR_SIZE, svg, count=1)


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
            # One conditional UPDATE: of two requests with the same code, only one wins.
            won = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(
                totp_last_step=step
            )
            user.totp_last_step = max(user.totp_last_step, step)
            return bool(won)
    return False


def _recovery_hash(user: User, code: str) -> str:
    normalised = "".join(code.lower().split()).replace("-", "")
    message = f"{user.pk}:{normalised}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are shown once, only hashes are kept."""
    count = int(settings.SSMARK_RECOVERY_CODES)
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_recovery_hash(user, code)) for code in codes
        )
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code once (a single UPDATE: two parallel uses cannot both win)."""
    if not any(ch.isalpha() for ch in code):
        return False
    return bool(
        RecoveryCode.objects.filter(
            user=user, code_hash=_recovery_hash(user, code), used_at__isnull=True
        ).update(used_at=clock.now())
    )


def unused_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def verify_any(user: User, code: str) -> bool:
    """A code from the authenticator app or one unused recovery code."""
    return verify(user, code) or use_recovery_code(user, code)


def turn_off(user: User, *, actor: Any, data: dict[str, Any] | None = None) -> None:
    """Two-factor sign-in off: the secret and the recovery codes go; audited. The person on
    their security page, or an administrator for someone who lost their device."""
    with transaction.atomic():
        user.totp_secret, user.totp_enabled = "", False
        user.save(update_fields=["totp_secret", "totp_enabled"])
        user.recovery_codes.all().delete()
        audit(actor=actor, action="ssmark.account.two_factor_disabled", target=user, data=data)
