from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.accounts.models import Role
from ssmark.core import clock


def token_digest(token: str) -> str:
    """Only the SHA-256 of a link's token is stored: a leaked database opens no invitation."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", pgettext_lazy("invitation", "Revoked")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation with roles, through a single-use link
    that expires (settings.INVITATION_VALID_DAYS). Resending makes a new link (the old one dies)."""

    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    roles = models.JSONField(_("roles"), default=list)
    family_name = models.CharField(_("family name"), max_length=150, blank=True)
    given_name = models.CharField(_("given name"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("invited"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"))
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(pgettext_lazy("invitation", "revoked"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
        verbose_name=_("account"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation_id}"

    def state(self, now: datetime.datetime | None = None) -> str:
        if self.accepted_at:
            return InvitationState.ACCEPTED
        if self.revoked_at:
            return InvitationState.REVOKED
        if (now or clock.now()) >= self.expires_at:
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    def get_state_display(self) -> str:
        return str(InvitationState(self.state()).label)

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]


class UserSession(models.Model):
    """A signed-in session of a person (recorded at sign-in), so they can see and end it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    ip_address = models.GenericIPAddressField(
        pgettext_lazy("IP address", "address"), null=True, blank=True
    )
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created = models.DateTimeField(_("signed in"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("sign-in", "session")
        verbose_name_plural = _("sessions")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created:%Y-%m-%d %H:%M}"


class ResetRequest(models.Model):
    """A password-reset request, kept for throttling (per address and per client)."""

    email = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.email} {self.created:%Y-%m-%d %H:%M}"
