"""Recording a (partial) payment on an invoice."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from ssmark.core.models import audit

from ..models import Invoice, Payment
from . import clock
from .access import can_manage
from .balances import balance
from .errors import (
    ERROR_AMOUNT_POSITIVE,
    ERROR_CREDIT_NOTE_PAYMENT,
    ERROR_FUTURE_PAYMENT,
    ERROR_NOT_ALLOWED,
    ERROR_NOTHING_OWED,
    ERROR_OVERPAYMENT,
    FeesError,
)


def record_payment(
    *,
    invoice: Invoice,
    received_on: datetime.date,
    amount: int,
    method: str,
    reference: str = "",
    actor: Any,
) -> Payment:
    """Record a (partial) payment. Refuses overpayment: the amount may not exceed what is
    still owed."""
    if not can_manage(actor, invoice):
        raise FeesError(ERROR_NOT_ALLOWED)
    if invoice.is_credit_note:
        raise FeesError(ERROR_CREDIT_NOTE_PAYMENT)
    if amount <= 0:
        raise FeesError(ERROR_AMOUNT_POSITIVE)
    if received_on > clock.today():
        raise FeesError(ERROR_FUTURE_PAYMENT)
    with transaction.atomic():
        # Lock the invoice so two clerks recording at once cannot together overpay it.
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        current = balance(invoice)
        if current.outstanding <= 0:
            raise FeesError(ERROR_NOTHING_OWED)
        if amount > current.outstanding:
            raise FeesError(
                ERROR_OVERPAYMENT
                % {"amount": f"{amount:,}", "outstanding": f"{current.outstanding:,}"}
            )
        payment = Payment.objects.create(
            invoice=invoice,
            received_on=received_on,
            amount=amount,
            method=method,
            reference=reference,
            recorded_by=actor,
        )
        after = balance(invoice)
        audit(
            actor=actor,
            action="ssmark.fees.payment_recorded",
            target=invoice,
            from_state=current.status,
            to_state=after.status,
            data={"amount": amount, "received_on": received_on.isoformat(), "method": method},
        )
    return payment
