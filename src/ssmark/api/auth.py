"""Bearer-token authentication, the read/write scope and the per-token rate limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from ssmark.accounts.throttle import client_address

from . import ratelimit
from .models import ApiToken
from .tokens import find_active

ERROR_BAD_TOKEN = _("The token is unknown, expired or revoked.")
ERROR_READ_ONLY = _("This token is read-only; make a token with write access for this.")
ERROR_SIGN_IN = _("Send a token: Authorization: Bearer <token>.")


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer ssm_…`: the request acts as the token's person, with exactly
    their roles and organisation."""

    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower():
            raise exceptions.AuthenticationFailed(ERROR_BAD_TOKEN, code="bad_token")
        token = find_active(parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed(ERROR_BAD_TOKEN, code="bad_token")
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="api"'


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "ssmark.api.auth.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer"}


class TokenScope(permissions.BasePermission):
    """Signed in with a token; a read-only token may only read."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if getattr(view, "public", False) and request.method in permissions.SAFE_METHODS:
            return True
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(ERROR_SIGN_IN)
        if request.method not in permissions.SAFE_METHODS and request.auth.read_only:
            raise exceptions.PermissionDenied(ERROR_READ_ONLY, code="read_only_token")
        return True


class PerTokenThrottle(throttling.BaseThrottle):
    """`SSMARK_API_RATE_PER_MINUTE` requests per minute per token (per address without one),
    counted in the database so every process and host shares the count (ssmark.api.ratelimit).
    The address is `client_address`, the sign-in throttle's: `X-Forwarded-For` only through
    `SSMARK_TRUSTED_PROXIES`, so a client cannot pick a fresh address per request."""

    def __init__(self) -> None:
        self.seconds = 1

    def allow_request(self, request: Any, view: Any) -> bool:
        if isinstance(request.auth, ApiToken):
            key = f"t{request.auth.pk}"
        else:
            key = f"a{client_address(request) or ''}"[:64]
        verdict = ratelimit.hit(key, settings.SSMARK_API_RATE_PER_MINUTE)
        self.seconds = verdict.wait
        return verdict.allowed

    def wait(self) -> float:
        return self.seconds
