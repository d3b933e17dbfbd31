"""Payments (partial, overpayment refused) and the invoice's status, overdue on the right day."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from ssmark.core import clock
from ssmark.core.models import AuditEntry
from ssmark.fees import services
from ssmark.fees.models import Invoice, InvoiceStatus, PaymentMethod
from ssmark.fees.services import raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def invoice(orgs, users, today) -> Invoice:
    # The shipped schedule: a review fee is due 30 days after submission → 2026-05-31.
    app = factories.application(orgs, users, submitted_on=datetime.date(2026, 5, 1))
    raise_review_fee(application=app, actor=None)  # as submit() does
    return Invoice.objects.get(application=app)


def pay(invoice: Invoice, user, amount: int, on=datetime.date(2026, 4, 10)):
    return services.record_payment(
        invoice=invoice,
        received_on=on,
        amount=amount,
        method=PaymentMethod.BANK_TRANSFER,
        reference="振込 ﾔﾏﾀﾞ",
        actor=user,
    )


def test_partial_then_full_payment(invoice, users):
    today = datetime.date(2026, 4, 10)
    assert services.invoice_status(invoice, today=today) == InvoiceStatus.UNPAID
    pay(invoice, users["rin"], 30000)
    b = services.balance(invoice, today=today)
    assert (b.paid, b.outstanding, b.status) == (30000, 50000, InvoiceStatus.PARTLY_PAID)
    pay(invoice, users["sue"], 50000)
    b = services.balance(invoice, today=today)
    assert (b.paid, b.outstanding, b.status) == (80000, 0, InvoiceStatus.PAID)
    assert AuditEntry.objects.filter(action="ssmark.fees.payment_recorded").count() == 2


def test_overpayment_is_refused_with_a_clear_error(invoice, users):
    pay(invoice, users["rin"], 70000)
    with pytest.raises(services.FeesError) as error:
        pay(invoice, users["rin"], 10001)
    assert str(error.value) == str(services.ERROR_OVERPAYMENT) % {
        "amount": "10,001",
        "outstanding": "10,000",
    }
    assert services.balance(invoice).paid == 70000
    pay(invoice, users["rin"], 10000)
    with pytest.raises(services.FeesError, match=str(services.ERROR_NOTHING_OWED)):
        pay(invoice, users["rin"], 1)


@pytest.mark.parametrize("amount", [0, -5])
def test_amount_must_be_positive(invoice, users, amount):
    with pytest.raises(services.FeesError, match=str(services.ERROR_AMOUNT_POSITIVE)):
        pay(invoice, users["rin"], amount)


def test_future_payment_date_is_refused(invoice, users):
    with pytest.raises(services.FeesError, match=str(services.ERROR_FUTURE_PAYMENT)):
        pay(invoice, users["rin"], 1000, on=datetime.date(2026, 4, 11))


@pytest.mark.parametrize("name", ["alice", "tomo", "ren", "kei"])
def test_only_the_issuing_body_and_secretariat_record_payments(invoice, users, name):
    with pytest.raises(services.FeesError, match=str(services.ERROR_NOT_ALLOWED)):
        pay(invoice, users[name], 1000)


def test_overdue_from_the_day_after_the_due_date(invoice, users):
    assert invoice.due_on == datetime.date(2026, 5, 31)
    assert services.invoice_status(invoice, today=datetime.date(2026, 5, 31)) == "unpaid"
    assert services.invoice_status(invoice, today=datetime.date(2026, 6, 1)) == "overdue"
    pay(invoice, users["rin"], 1000)
    # Partly paid but past due: overdue.
    assert services.invoice_status(invoice, today=datetime.date(2026, 6, 1)) == "overdue"
    pay(invoice, users["rin"], 79000)
    assert services.invoice_status(invoice, today=datetime.date(2026, 6, 1)) == "paid"


def test_overdue_uses_the_date_in_tokyo(invoice, monkeypatch):
    # 2026-05-31 23:30 in Tokyo is 14:30 UTC: still the due day.
    late_evening = datetime.datetime(2026, 5, 31, 23, 30, tzinfo=TOKYO)
    monkeypatch.setattr(clock, "_frozen_day", None)  # not frozen: the (patched) moment
    monkeypatch.setattr(clock, "now", lambda: late_evening.astimezone(datetime.UTC))
    assert clock.today() == datetime.date(2026, 5, 31)
    assert services.invoice_status(invoice) == InvoiceStatus.UNPAID
    # 2026-06-01 00:10 in Tokyo is still 2026-05-31 (15:10) in UTC: overdue in Tokyo.
    just_after = datetime.datetime(2026, 6, 1, 0, 10, tzinfo=TOKYO)
    monkeypatch.setattr(clock, "now", lambda: just_after.astimezone(datetime.UTC))
    assert just_after.astimezone(datetime.UTC).date() == datetime.date(2026, 5, 31)
    assert services.invoice_status(invoice) == InvoiceStatus.OVERDUE
