"""An issued invoice never changes: a correction is a credit note plus a new invoice."""

from __future__ import annotations

import datetime

import pytest

from ssmark.fees import services
from ssmark.fees.models import DocumentType, Invoice, InvoiceImmutable, InvoiceStatus
from ssmark.fees.services import raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(orgs, users, today) -> Invoice:
    app = factories.application(orgs, users)
    raise_review_fee(application=app, actor=None)  # as submit() does
    return Invoice.objects.get(application=app)


def test_an_issued_invoice_cannot_be_saved_again_or_deleted(invoice):
    invoice.total = 1
    with pytest.raises(InvoiceImmutable):
        invoice.save()
    with pytest.raises(InvoiceImmutable):
        invoice.delete()
    assert Invoice.objects.get(pk=invoice.pk).total == 80000


def test_correction_is_a_credit_note_and_a_new_invoice(invoice, users):
    credit, new = services.issue_correction(
        invoice=invoice, reason="金額誤り", actor=users["rin"], new_amount=60000
    )
    assert credit.document_type == DocumentType.CREDIT_NOTE
    assert credit.corrects == invoice
    assert (credit.total, credit.tax_total) == (-80000, -7272)
    assert credit.number == "JAIPA-2026-000002"
    assert new is not None
    assert new.corrects == invoice and new.document_type == DocumentType.INVOICE
    assert (new.total, new.number, new.due_on) == (60000, "JAIPA-2026-000003", invoice.due_on)
    assert services.invoice_status(invoice) == InvoiceStatus.CANCELLED
    assert services.invoice_status(credit) == InvoiceStatus.CREDIT
    assert services.invoice_status(new) == InvoiceStatus.UNPAID
    # The original is as it was.
    assert Invoice.objects.get(pk=invoice.pk).total == 80000
    with pytest.raises(services.FeesError, match=str(services.ERROR_ALREADY_CANCELLED)):
        services.issue_correction(invoice=invoice, reason="再度", actor=users["rin"])


def test_a_paid_invoice_cannot_be_credited(invoice, users):
    services.record_payment(
        invoice=invoice,
        received_on=datetime.date(2026, 4, 10),
        amount=1000,
        method="bank_transfer",
        actor=users["rin"],
    )
    with pytest.raises(services.FeesError, match=str(services.ERROR_HAS_PAYMENTS)):
        services.issue_correction(invoice=invoice, reason="誤り", actor=users["rin"])


def test_correction_needs_a_reason_and_a_manager(invoice, users):
    with pytest.raises(services.FeesError, match=str(services.ERROR_REASON_REQUIRED)):
        services.issue_correction(invoice=invoice, reason=" ", actor=users["rin"])
    with pytest.raises(services.FeesError, match=str(services.ERROR_NOT_ALLOWED)):
        services.issue_correction(invoice=invoice, reason="誤り", actor=users["alice"])


def test_cancelled_invoice_is_never_overdue(invoice, users):
    services.issue_correction(invoice=invoice, reason="取消", actor=users["sue"])
    assert services.invoice_status(invoice, today=datetime.date(2027, 1, 1)) == "cancelled"
    assert services.detect_overdue(today=datetime.date(2027, 1, 1)) == []
