"""Demo fees: every submitted demo application already has its review-fee invoice (raised by
the submission event); this records a partial payment on the first one, so the dashboard shows
a partly paid invoice. Idempotent."""

from __future__ import annotations

from typing import Any, TextIO

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


def pay_review_fee_before_submission(application: Any, applicant: Any) -> None:
    """For the demo applications about to be submitted: the applicant requests the review-fee
    invoice and the secretariat records its payment, when the fee schedule in force holds the
    submission until then (issue 9.9). Nothing when it does not, or is already paid."""
    blocks = services.unpaid_blocks(
        action=services.BlockedAction.SUBMIT_APPLICATION, application=application
    )
    staff = User.objects.filter(username="jimukyoku").first()
    if not blocks or staff is None:
        return
    invoice = services.request_review_fee(actor=applicant, application=application)
    owed = services.balance(invoice).outstanding
    if owed > 0:
        services.record_payment(
            invoice=invoice,
            received_on=invoice.issued_on,
            amount=owed,
            method=PaymentMethod.BANK_TRANSFER,
            reference="デモ入金（審査料金）",
            actor=staff,
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
