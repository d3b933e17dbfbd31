"""Creating, finding and revoking personal API tokens.

A token is `ssm_` + 40 random URL-safe characters. Only its SHA-256 is stored (a random token
of this length needs no slow hash), with its first characters to tell tokens apart. The token
itself is shown once, when it is made. Creation and revocation are audited.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ssmark.core import clock
from ssmark.core.models import audit
from ssmark.core.refusals import InvalidInput, NotAllowed

from .models import ApiToken

TOKEN_PREFIX = "ssm_"  # noqa: S105 (not a secret: the visible start of every token)
SHOWN_PREFIX_LENGTH = 12

ERROR_NAME_REQUIRED = _("Give the token a name.")
ERROR_DAYS = _("A token is valid for 1 to %(max)s days.")
ERROR_NOT_YOURS = _("You can revoke only your own tokens.")


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token: shown once, never stored


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(
    *, actor: Any, user: Any, name: str, days: int | None = None, read_only: bool = False
) -> NewToken:
    """A new token for `user` (the actor is the user, or an administrator's script)."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(ERROR_NAME_REQUIRED, field="name")
    if days is None:
        days = settings.SSMARK_API_TOKEN_DAYS
    limit = settings.SSMARK_API_TOKEN_MAX_DAYS
    if not 1 <= days <= limit:
        raise InvalidInput(ERROR_DAYS, {"max": limit}, field="days")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=raw[:SHOWN_PREFIX_LENGTH],
            digest=digest(raw),
            read_only=read_only,
            expires_at=clock.now() + datetime.timedelta(days=days),
        )
        audit(
            actor=actor,
            action="ssmark.api.token_created",
            target=token,
            data={
                "user": user.username,
                "name": token.name,
                "scope": token.scope,
                "expires": token.expires_at.isoformat(),
            },
        )
    return NewToken(token=token, secret=raw)


def revoke_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens (at once; a revoked token is refused)."""
    if token.user_id != getattr(actor, "pk", None):
        raise NotAllowed(ERROR_NOT_YOURS)
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = clock.now()
            locked.save(update_fields=["revoked_at"])
            audit(
                actor=actor,
                action="ssmark.api.token_revoked",
                target=locked,
                data={"name": locked.name, "prefix": locked.prefix},
            )
    token.revoked_at = locked.revoked_at
    return locked


def find_active(raw: str) -> ApiToken | None:
    """The active token `raw` names (its user active too), or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(digest=digest(raw), revoked_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Record use at most once a minute (no write per request).
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
