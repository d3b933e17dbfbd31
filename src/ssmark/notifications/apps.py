from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ssmark.notifications"
    label = "notifications"
    verbose_name = _("Notifications and bulletins")

    def ready(self) -> None:
        from ssmark.core import events
        from ssmark.fees import signals as fee_signals

        from . import receivers as r

        connections: list[tuple[Signal, Callable[..., Any]]] = [
            (events.application_submitted, r.on_application_submitted),
            (events.application_returned, r.on_application_returned),
            (events.first_review_decided, r.on_first_review_decided),
            (events.committee_decided, r.on_committee_decided),
            (events.licence_issued, r.on_licence_issued),
            (events.licence_status_changed, r.on_licence_status_changed),
            (events.renewal_reminder_due, r.on_renewal_reminder_due),
            (events.incident_recommendation_issued, r.on_incident_recommendation_issued),
            (events.application_withdrawn, r.on_application_withdrawn),
            (fee_signals.invoice_issued, r.on_invoice_issued),
            (fee_signals.invoice_overdue, r.on_invoice_overdue),
        ]
        for signal, receiver in connections:
            signal.connect(receiver, dispatch_uid=f"notifications.{receiver.__name__}")
