"""Webhook endpoints of an organisation, the events they receive, and each delivery."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventType(models.TextChoices):
    LICENCE_ISSUED = "licence.issued", _("A licence is issued")
    LICENCE_RENEWED = "licence.renewed", _("A licence is renewed")
    LICENCE_SUSPENDED = "licence.suspended", _("A licence is suspended")
    LICENCE_REVOKED = "licence.revoked", _("A licence is revoked")
    LICENCE_LAPSED = "licence.lapsed", _("A licence lapses")
    APPLICATION_STATUS_CHANGED = "application.status_changed", _("An application changes status")
    INVOICE_ISSUED = "invoice.issued", _("An invoice is issued")
    INVOICE_PAID = "invoice.paid", _("An invoice is paid in full")
    BULLETIN_PUBLISHED = "bulletin.published", _("A bulletin is published")


class Endpoint(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(pgettext_lazy("webhook", "address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    # The signing secret ("whsec_" + base64 of the key bytes), shown once when made or rotated.
    secret = models.CharField(max_length=100)
    # Deliveries given up one after another; at SSMARK_WEBHOOK_DISABLE_AFTER the endpoint is
    # switched off and its organisation's administrators are told.
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(_("why it was switched off"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return self.active and event_type in (self.events or [])


class Event(models.Model):
    """One thing that happened, with its stable id (`evt_…`): receivers de-duplicate on it."""

    event_id = models.CharField(max_length=40, unique=True)
    type = models.CharField(_("event"), max_length=40, choices=EventType.choices)
    payload = models.JSONField()
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent now")
    DELIVERED = "delivered", _("Delivered to the endpoint")
    FAILED = "failed", _("Given up after retries")


class Delivery(models.Model):
    """One event for one endpoint: queued with the event, sent (and retried) by the worker."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(
        pgettext_lazy("HTTP", "answer"), null=True, blank=True
    )
    last_error = models.CharField(_("problem"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # A worker's claim on the row (so two workers never send it at once).
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"
