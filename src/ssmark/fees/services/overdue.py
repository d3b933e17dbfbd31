"""Overdue invoices, and detecting (once each) those that became overdue."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from ssmark.core.models import audit

from .. import signals
from ..models import DocumentType, Invoice, InvoiceStatus, OverdueNotice
from . import clock
from .balances import with_balances


def overdue_invoices(*, today: datetime.date | None = None) -> QuerySet[Invoice]:
    return with_balances(
        Invoice.objects.filter(document_type=DocumentType.INVOICE, due_on__isnull=False),
        today=today,
    ).filter(Q(balance_status=InvoiceStatus.OVERDUE))


def detect_overdue(*, today: datetime.date | None = None) -> list[Invoice]:
    """Mark invoices that became overdue, once each, and send `invoice_overdue` for them.
    Safe to run twice and concurrently (one OverdueNotice row per invoice)."""
    today = today or clock.today()
    found = []
    for invoice in overdue_invoices(today=today).filter(overdue_notice__isnull=True):
        with transaction.atomic():
            _notice, created = OverdueNotice.objects.get_or_create(
                invoice=invoice, defaults={"detected_on": today}
            )
            if not created:
                continue
            audit(
                actor=None,
                action="ssmark.fees.invoice_overdue",
                target=invoice,
                to_state=InvoiceStatus.OVERDUE,
                data={"due_on": invoice.due_on.isoformat() if invoice.due_on else ""},
            )
            signals.invoice_overdue.send(sender=Invoice, invoice=invoice, actor=None)
        found.append(invoice)
    return found
