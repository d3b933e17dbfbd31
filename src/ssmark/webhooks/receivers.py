"""Fan-out of domain events to webhook deliveries (the one legitimate use of signals here).

Each receiver runs inside the transaction of the service that sent the event, so a delivery
is queued exactly when the change commits. Sources:

- `ssmark.core.events`: licence_issued (→ licence.issued / licence.renewed),
  licence_status_changed (→ licence.suspended / revoked / lapsed);
- `ssmark.fees.signals.invoice_issued` (→ invoice.issued);
- there is no domain event yet for these three, so their audit entries / rows are the source,
  written in the same transaction as the change: every application transition
  (`states.transition()` writes from/to → application.status_changed), a payment that leaves
  nothing owed (→ invoice.paid), a bulletin sent (→ bulletin.published).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save

from . import audience
from .events import emit
from .models import EventType

STATUS_EVENTS = {
    "suspended": EventType.LICENCE_SUSPENDED,
    "revoked": EventType.LICENCE_REVOKED,
    "lapsed": EventType.LICENCE_LAPSED,
}


def licence_data(licence: Any) -> dict[str, Any]:
    return {
        "licence": licence.number,
        "service_name": licence.service_name,
        "status": licence.status,
        "holder": licence.organisation.name,
        "reception_body": licence.reception_body.code,
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
    }


def on_licence_issued(sender: Any, licence: Any, application: Any, **kwargs: Any) -> None:
    from ssmark.catalog.models import ReviewType

    kind = (
        EventType.LICENCE_RENEWED
        if application.review_type == ReviewType.RENEWAL
        else EventType.LICENCE_ISSUED
    )
    data = {**licence_data(licence), "application": application.pk}
    emit(kind, data, audience.for_licence(licence))


def on_licence_status_changed(
    sender: Any, licence: Any, from_status: str, to_status: str, **kwargs: Any
) -> None:
    kind = STATUS_EVENTS.get(str(to_status))
    if kind is None:
        return
    emit(kind, {**licence_data(licence), "from": from_status}, audience.for_licence(licence))


def invoice_data(invoice: Any) -> dict[str, Any]:
    return {
        "invoice": invoice.pk,
        "number": invoice.number,
        "document_type": invoice.document_type,
        "fee_kind": invoice.fee_kind,
        "issuer": invoice.issuer.code or invoice.issuer_name,
        "addressee": invoice.addressee_name,
        "application": invoice.application_id,
        "total": invoice.total,
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
    }


def on_invoice_issued(sender: Any, invoice: Any, **kwargs: Any) -> None:
    emit(EventType.INVOICE_ISSUED, invoice_data(invoice), audience.for_invoice(invoice))


def on_payment_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from ssmark.fees.models import InvoiceStatus
    from ssmark.fees.services.balances import balance

    invoice = instance.invoice
    if balance(invoice).status != InvoiceStatus.PAID:
        return
    data = {**invoice_data(invoice), "paid_on": instance.received_on}
    emit(EventType.INVOICE_PAID, data, audience.for_invoice(invoice))


def on_audit_entry(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    if (
        instance.target_type == "applications.application"
        and instance.from_state
        and instance.to_state
        and instance.from_state != instance.to_state
    ):
        from ssmark.applications.models import Application

        application = Application.objects.filter(pk=instance.target_id).first()
        if application is None:
            return
        data = {
            "application": application.pk,
            "service_name": application.service_name,
            "from": instance.from_state,
            "to": instance.to_state,
            "action": instance.action,
        }
        emit(EventType.APPLICATION_STATUS_CHANGED, data, audience.for_application(application))
    elif instance.action == "ssmark.bulletin.sent":
        from ssmark.notifications.models import Bulletin, BulletinDelivery

        bulletin = Bulletin.objects.filter(pk=instance.target_id).first()
        if bulletin is None:
            return
        orgs = BulletinDelivery.objects.filter(bulletin=bulletin).values_list(
            "organisation_id", flat=True
        )
        data = {"bulletin": bulletin.pk, "title": bulletin.title, "severity": bulletin.severity}
        emit(EventType.BULLETIN_PUBLISHED, data, audience.for_bulletin(orgs))


def connect() -> None:
    from ssmark.core import events
    from ssmark.core.models import AuditEntry
    from ssmark.fees import signals as fee_signals
    from ssmark.fees.models import Payment

    events.licence_issued.connect(on_licence_issued, dispatch_uid="webhooks.licence_issued")
    events.licence_status_changed.connect(
        on_licence_status_changed, dispatch_uid="webhooks.licence_status_changed"
    )
    fee_signals.invoice_issued.connect(on_invoice_issued, dispatch_uid="webhooks.invoice_issued")
    post_save.connect(on_payment_saved, sender=Payment, dispatch_uid="webhooks.payment")
    post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="webhooks.audit")
