"""Issuing an invoice or credit note under a gap-free number per issuing body and year."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from ssmark.accounts.models import Organisation
from ssmark.applications.models import Application
from ssmark.core.models import audit
from ssmark.licences.models import Licence

from .. import signals
from ..models import DocumentType, Invoice, InvoiceCounter, InvoiceDocument, IssuerDetails
from ..tax import Line, totals_per_rate
from ..validators import is_registration_number
from . import clock


def format_number(issuer: Organisation, year: int, number: int) -> str:
    """JAIPA-2026-000001: the issuing body's code, the year of issue, six digits, restarting
    at 1 each calendar year (Asia/Tokyo)."""
    code = issuer.code or f"ORG{issuer.pk}"
    return f"{code}-{year}-{number:06d}"


def _next_number(issuer: Organisation, year: int) -> int:
    """Take the next number of `issuer`'s series for `year`. The counter row stays locked until
    the surrounding transaction ends, so concurrent issuers wait; a rolled-back issue gives its
    number back (the increment is rolled back with it): no gaps, no repeats."""
    InvoiceCounter.objects.get_or_create(issuer=issuer, year=year)
    counter = InvoiceCounter.objects.select_for_update().get(issuer=issuer, year=year)
    counter.last_number += 1
    InvoiceCounter.objects.filter(pk=counter.pk).update(last_number=counter.last_number)
    return counter.last_number


def issue_invoice(
    *,
    issuer: Organisation,
    addressee: Organisation,
    fee_kind: str,
    lines: Sequence[Line],
    amounts_include_tax: bool,
    schedule_id: str,
    transaction_date: datetime.date,
    due_on: datetime.date | None,
    actor: Any = None,
    application: Application | None = None,
    licence: Licence | None = None,
    fee_year: int | None = None,
    period_start: datetime.date | None = None,
    document_type: str = DocumentType.INVOICE,
    corrects: Invoice | None = None,
    note: str = "",
) -> Invoice:
    """Issue one invoice or credit note: number, tax per rate, totals, snapshot of the parties.

    Sends `ssmark.fees.signals.invoice_issued` in the same transaction.
    """
    issued_on = clock.today()
    with transaction.atomic():
        number = _next_number(issuer, issued_on.year)
        rates = totals_per_rate(lines, amounts_include_tax=amounts_include_tax)
        regno = issuer.invoice_registration_number.strip()
        details = IssuerDetails.objects.filter(organisation=issuer).first()
        invoice = Invoice.objects.create(
            number=format_number(issuer, issued_on.year, number),
            document_type=document_type,
            fee_kind=fee_kind,
            issuer=issuer,
            sequence_year=issued_on.year,
            sequence_number=number,
            addressee=addressee,
            application=application,
            licence=licence,
            fee_year=fee_year,
            period_start=period_start,
            corrects=corrects,
            issuer_name=issuer.name,
            issuer_address=issuer.address,
            issuer_registration_number=regno if is_registration_number(regno) else "",
            issuer_contact=details.contact if details else "",
            payment_details=details.bank_transfer if details else "",
            addressee_name=addressee.name,
            addressee_address=addressee.address,
            issued_on=issued_on,
            transaction_date=transaction_date,
            due_on=due_on,
            schedule_id=schedule_id,
            amounts_include_tax=amounts_include_tax,
            lines=[line.as_json() for line in lines],
            tax_summary=[r.as_json() for r in rates],
            subtotal=sum(r.base for r in rates),
            tax_total=sum(r.tax for r in rates),
            total=sum(r.total for r in rates),
            note=note,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            actor=actor,
            action=(
                "ssmark.fees.credit_note_issued"
                if document_type == DocumentType.CREDIT_NOTE
                else "ssmark.fees.invoice_issued"
            ),
            target=invoice,
            to_state=document_type,
            data={"number": invoice.number, "total": invoice.total, "fee": fee_kind},
        )
        store_document(invoice)
        signals.invoice_issued.send(sender=Invoice, invoice=invoice, actor=actor)
    return invoice


def store_document(invoice: Invoice) -> InvoiceDocument:
    """Render the invoice's PDF once and keep its bytes and SHA-256 (retention: the file a
    holder downloads later is the one issued). Invoices issued before documents were kept get
    theirs on first download."""
    from ..pdf import render_invoice  # reportlab is loaded only where a PDF is made

    existing = InvoiceDocument.objects.filter(invoice=invoice).first()
    if existing is not None:
        return existing
    data = render_invoice(invoice)
    document, _ = InvoiceDocument.objects.get_or_create(
        invoice=invoice, defaults={"pdf": data, "sha256": hashlib.sha256(data).hexdigest()}
    )
    return document
