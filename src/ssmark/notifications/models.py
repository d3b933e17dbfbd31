"""Notifications (in the app and by e-mail) and security bulletins to licence holders.

A Notification is written by a receiver inside the transaction of the event it reports, so it
exists exactly when the event happened. E-mail goes out later, from `ssmark send_notifications`,
which claims rows before sending them so that nothing is sent twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.catalog.models import Scheme


class NotificationKind(models.TextChoices):
    SUBMISSION_RECEIVED = "submission_received", _("Application received")
    SUBMISSION_FOR_RECEPTION = "submission_for_reception", _("New application to review")
    APPLICATION_RETURNED = "application_returned", _("Returned for correction")
    FIRST_REVIEW_DECIDED = "first_review_decided", _("First-review decision")
    COMMITTEE_DECIDED = "committee_decided", _("Committee decision")
    PASS_NOTICE = "pass_notice", _("Pass notice")
    INVOICE_ISSUED = "invoice_issued", _("Invoice issued")
    PAYMENT_OVERDUE = "payment_overdue", _("Payment overdue")
    RENEWAL_WINDOW_OPEN = "renewal_window_open", _("Renewal window open")
    RENEWAL_DEADLINE_NEAR = "renewal_deadline_near", _("Renewal deadline approaching")
    LICENCE_LAPSED = "licence_lapsed", _("Licence lapsed")
    LICENCE_SUSPENDED = "licence_suspended", _("Licence suspended")
    LICENCE_REVOKED = "licence_revoked", _("Licence revoked")
    INCIDENT_RECOMMENDATION = "incident_recommendation", _("Recommendation on an incident")
    APPLICATION_WITHDRAWN = "application_withdrawn", _("Application withdrawn")
    BULLETIN = "bulletin", _("Security bulletin")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("To be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NONE = "none", _("No e-mail")


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    CRITICAL = "critical", _("Critical")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class Bulletin(models.Model):
    """Security information for licence holders (e.g. a JPCERT/CC advisory), written by the
    secretariat and sent once to the holders' security contacts and members."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.INFO
    )
    # One address per line.
    links = models.TextField(_("links"), blank=True)
    # Filters; empty means all.
    scheme = models.CharField(
        _("scheme version"), max_length=20, choices=Scheme.choices, blank=True
    )
    reception_bodies = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("reception bodies"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "reception_body"},
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(pgettext_lazy("sent at", "sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-sent_at", "-created"]

    def __str__(self) -> str:
        return self.title

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class BulletinDelivery(models.Model):
    """A holder organisation the bulletin was sent to (its members see it in the app)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="bulletin_deliveries"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "organisation"], name="notifications_delivery_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bulletin_id} → {self.organisation_id}"


class Notification(models.Model):
    # A user (sees it in the app; e-mailed at their address) or only an address (e.g. an
    # organisation's security contact, an application's responsible manager).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    # "user:<id>" or "email:<address>": with event_key, makes each notification unique.
    recipient_key = models.CharField(max_length=300)
    event_key = models.CharField(max_length=200)
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    # The recipient's language when it was written ("ja", "en"), or "" for both.
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    bulletin = models.ForeignKey(
        Bulletin, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"),
        max_length=10,
        choices=EmailStatus.choices,
        default=EmailStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient_key"], name="notifications_once_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
