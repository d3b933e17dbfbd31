"""Personal API tokens: stored hashed, shown once, named, scoped, expiring and revocable."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ssmark.core import clock


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, shown in lists so a person can tell tokens apart.
    prefix = models.CharField(_("begins with"), max_length=16, db_index=True)
    # SHA-256 of the whole token (tokens are long random strings: a fast hash is enough).
    digest = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(_("read only"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope(self) -> str:
        return "read" if self.read_only else "write"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > clock.now()


class RateWindow(models.Model):
    """One token's (or, without a token, one address's) current minute of API requests.

    Shared by every process and host using the database, so the limit is the limit however many
    servers answer (ssmark.api.ratelimit). The window opens at the key's first request and lasts
    a minute; the row is then reused for the next window, and rows of windows long over are
    deleted whenever a window opens.
    """

    # "t<token id>" or "a<address>"
    key = models.CharField(max_length=64, primary_key=True)
    # When the window opened, in milliseconds since the epoch (compared in one SQL statement
    # the same way on SQLite and PostgreSQL).
    started_ms = models.BigIntegerField(db_index=True)
    hits = models.PositiveIntegerField()

    class Meta:
        db_table = "api_ratewindow"  # named in the SQL of ssmark.api.ratelimit

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
