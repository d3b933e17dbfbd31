"""Demo fees: every submitted demo application already has its review-fee invoice (raised by
the submission event); this records a partial payment on the first one, so the dashboard shows
a partly paid invoice. Idempotent."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from ssmark.accounts.models import User

from . import services
from .models import DocumentType, Invoice, Payment, PaymentMethod


@transaction.atomic
def load(out: TextIO) -> None:
    secretariat = User.objects.filter(username="jimukyoku").first()
    invoices = Invoice.objects.filter(document_type=DocumentType.INVOICE)
    if secretariat is not None and not Payment.objects.exists():
        first = invoices.order_by("pk").first()
        if first is not None and services.balance(first).outstanding > 0:
            services.record_payment(
                invoice=first,
                received_on=max(first.issued_on, services.local_today()),
                amount=min(30000, services.balance(first).outstanding),
                method=PaymentMethod.BANK_TRANSFER,
                reference="デモ入金",
                actor=secretariat,
            )
    out.write(f"fees demo: {invoices.count()} invoice(s), {Payment.objects.count()} payment(s)\n")
