"""Correcting an issued invoice: a credit note cancelling it and, if wanted, a new invoice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from ..models import DocumentType, Invoice, InvoiceStatus
from ..tax import Line
from .access import can_manage
from .balances import balance
from .errors import (
    ERROR_ALREADY_CANCELLED,
    ERROR_AMOUNT_POSITIVE,
    ERROR_CORRECT_CREDIT_NOTE,
    ERROR_HAS_PAYMENTS,
    ERROR_NOT_ALLOWED,
    ERROR_REASON_REQUIRED,
    FeesError,
)
from .issuing import issue_invoice


def _like(stored: dict[str, Any], *, quantity: int, unit_price: int) -> Line:
    """A line with the descriptions and tax rate of `stored` (a line as an invoice keeps it)."""
    return Line(
        description=stored["description"],
        description_en=stored["description_en"],
        quantity=quantity,
        unit_price=unit_price,
        tax_rate=Decimal(stored["tax_rate"]),
    )


def issue_correction(
    *,
    invoice: Invoice,
    reason: str,
    actor: Any,
    new_amount: int | None = None,
) -> tuple[Invoice, Invoice | None]:
    """Correct an issued invoice: a credit note cancelling it in full (negative, referring to
    it) and, unless `new_amount` is None, a new invoice for `new_amount` (the unit price, as in
    the schedule: tax included or not as the original). Returns (credit note, new invoice)."""
    if not can_manage(actor, invoice):
        raise FeesError(ERROR_NOT_ALLOWED)
    if invoice.is_credit_note:
        raise FeesError(ERROR_CORRECT_CREDIT_NOTE)
    if not reason.strip():
        raise FeesError(ERROR_REASON_REQUIRED)
    if new_amount is not None and new_amount <= 0:
        raise FeesError(ERROR_AMOUNT_POSITIVE)
    with transaction.atomic():
        original = Invoice.objects.select_for_update().get(pk=invoice.pk)
        current = balance(original)
        if current.status == InvoiceStatus.CANCELLED:
            raise FeesError(ERROR_ALREADY_CANCELLED)
        if current.paid > 0:
            raise FeesError(ERROR_HAS_PAYMENTS)
        credit_lines = [
            _like(line, quantity=line["quantity"], unit_price=-line["unit_price"])
            for line in original.lines
        ]
        common: dict[str, Any] = {
            "issuer": original.issuer,
            "addressee": original.addressee,
            "fee_kind": original.fee_kind,
            "amounts_include_tax": original.amounts_include_tax,
            "schedule_id": original.schedule_id,
            "transaction_date": original.transaction_date,
            "actor": actor,
            "application": original.application,
            "licence": original.licence,
            "fee_year": original.fee_year,
            "period_start": original.period_start,
            "corrects": original,
            "note": reason.strip(),
        }
        credit = issue_invoice(
            lines=credit_lines, due_on=None, document_type=DocumentType.CREDIT_NOTE, **common
        )
        replacement = None
        if new_amount is not None:
            lines = [_like(line, quantity=1, unit_price=new_amount) for line in original.lines[:1]]
            replacement = issue_invoice(lines=lines, due_on=original.due_on, **common)
    return credit, replacement
