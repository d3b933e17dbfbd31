"""Demo fees: every submitted demo application already has its review-fee invoice (raised by
the submission event); this records a partial payment on the first one, so the dashboard shows
a partly paid invoice. Idempotent."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from ssmark.accounts.models import Organisation, User
from ssmark.core import clock

from . import services
from .models import DocumentType, Invoice, IssuerDetails, Payment, PaymentMethod

# Invented for the demo: what each reception body prints on its invoices.
DEMO_ISSUER_DETAILS = {
    "JAIPA": (
        "料金担当（デモ）　電話 03-0000-0001　fees@jaipa.example",
        "デモ銀行 本店 普通 0000001 ｼﾔ)ﾆﾎﾝｲﾝﾀｰﾈﾂﾄﾌﾟﾛﾊﾞｲﾀﾞｰｷﾖｳｶｲ",
    ),
    "TELESA": (
        "料金担当（デモ）　電話 03-0000-0002　fees@telesa.example",
        "デモ銀行 本店 普通 0000002 ｲﾂﾊﾟﾝｼﾔﾀﾞﾝﾎｳｼﾞﾝﾃﾚｺﾑｻｰﾋﾞｽｷﾖｳｶｲ",
    ),
    "TCA": (
        "料金担当（デモ）　電話 03-0000-0003　fees@tca.example",
        "デモ銀行 本店 普通 0000003 ｼﾔ)ﾃﾞﾝｷﾂｳｼﾝｼﾞｷﾞﾖｳｼﾔｷﾖｳｶｲ",
    ),
}


def prepare(out: TextIO) -> None:
    """The reception bodies' invoice details, before the demo applications raise invoices."""
    for code, (contact, bank) in DEMO_ISSUER_DETAILS.items():
        body = Organisation.objects.filter(code=code).first()
        if body is not None:
            IssuerDetails.objects.get_or_create(
                organisation=body, defaults={"contact": contact, "bank_transfer": bank}
            )


@transaction.atomic
def load(out: TextIO) -> None:
    secretariat = User.objects.filter(username="jimukyoku").first()
    invoices = Invoice.objects.filter(document_type=DocumentType.INVOICE)
    if secretariat is not None and not Payment.objects.exists():
        first = invoices.order_by("pk").first()
        if first is not None and services.balance(first).outstanding > 0:
            services.record_payment(
                invoice=first,
                received_on=max(first.issued_on, clock.today()),
                amount=min(30000, services.balance(first).outstanding),
                method=PaymentMethod.BANK_TRANSFER,
                reference="デモ入金",
                actor=secretariat,
            )
    out.write(f"fees demo: {invoices.count()} invoice(s), {Payment.objects.count()} payment(s)\n")
