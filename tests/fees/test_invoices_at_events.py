"""The right invoices appear at the right events, with the right amounts and due dates."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications.models import Application
from ssmark.catalog.models import ReviewType
from ssmark.core.models import AuditEntry
from ssmark.fees.models import FeeKind, Invoice
from ssmark.fees.services import raise_first_annual_fee, raise_review_fee
from ssmark.licences.models import Licence
from tests.fees import factories

pytestmark = pytest.mark.django_db


def submit(app: Application) -> None:
    """What applications' submit() does at a first submission (a resubmission raises none)."""
    raise_review_fee(application=app, actor=None)


def test_submission_raises_the_review_fee_due_30_days_later(orgs, users, today):
    app = factories.application(orgs, users, submitted_on=datetime.date(2026, 4, 10))
    submit(app)
    invoice = Invoice.objects.get(application=app)
    assert invoice.fee_kind == FeeKind.REVIEW
    assert invoice.issuer == orgs["JAIPA"]
    assert invoice.addressee == orgs["sample-net"]
    assert invoice.number == "JAIPA-2026-000001"
    # The shipped schedule: due 30 days after submission (not on the day itself).
    assert invoice.due_on == datetime.date(2026, 5, 10)
    assert invoice.transaction_date == datetime.date(2026, 4, 10)
    # The shipped schedule: 80,000 yen including 10% tax → 7,272 yen tax (truncated).
    assert (invoice.total, invoice.tax_total, invoice.subtotal) == (80000, 7272, 72728)
    assert invoice.issuer_registration_number == "T1010405010486"
    assert AuditEntry.objects.filter(action="ssmark.fees.invoice_issued").count() == 1


def test_the_review_fee_is_raised_once(orgs, users, today):
    app = factories.application(orgs, users)
    submit(app)
    submit(app)  # even a repeated first submission
    assert Invoice.objects.filter(application=app).count() == 1


def test_renewal_application_raises_the_renewal_review_fee(orgs, users, today):
    app = factories.application(orgs, users, review_type=ReviewType.RENEWAL, reception="TELESA")
    submit(app)
    invoice = Invoice.objects.get(application=app)
    assert invoice.fee_kind == FeeKind.RENEWAL_REVIEW
    assert invoice.total == 60000
    assert invoice.number == "TELESA-2026-000001"


def issued(app: Application, licence: Licence, notice_received_on: datetime.date) -> None:
    """What the committee does after issuing a new licence (committee.services._issue_licence)."""
    raise_first_annual_fee(application=app, licence=licence, start=notice_received_on, actor=None)


def test_licence_issued_raises_the_first_annual_fee_due_a_month_from_the_notice(orgs, users, today):
    app = factories.application(orgs, users)
    licence = factories.licence(orgs, app=app, first_granted_on=datetime.date(2026, 4, 8))
    issued(app, licence, datetime.date(2026, 4, 15))
    invoice = Invoice.objects.get(application=app, fee_kind=FeeKind.ANNUAL)
    assert invoice.licence == licence
    assert invoice.fee_year == 1
    assert invoice.total == 20000
    # Within one month counted from 2026-04-15 (inclusive): until 2026-05-14.
    assert invoice.due_on == datetime.date(2026, 5, 14)
    # Sent twice (a retry): still one invoice.
    issued(app, licence, datetime.date(2026, 4, 15))
    assert Invoice.objects.filter(fee_kind=FeeKind.ANNUAL).count() == 1


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),  # no 31 February
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 12, 20), datetime.date(2027, 1, 19)),
    ],
)
def test_one_month_counted_from_the_receipt_day(orgs, users, today, received, due):
    app = factories.application(orgs, users)
    licence = factories.licence(orgs, app=app)
    issued(app, licence, received)
    assert Invoice.objects.get(fee_kind=FeeKind.ANNUAL).due_on == due


def test_tax_exclusive_schedule_adds_the_tax(orgs, users, today, schedule_file):
    schedule_file({"include": "false"})
    app = factories.application(orgs, users)
    submit(app)
    invoice = Invoice.objects.get(application=app)
    assert (invoice.subtotal, invoice.tax_total, invoice.total) == (80000, 8000, 88000)
    assert invoice.amounts_include_tax is False
    assert invoice.tax_summary == [{"rate": "10", "base": 80000, "tax": 8000, "total": 88000}]


def test_the_schedule_in_force_on_the_event_date_applies(orgs, users, today, schedule_file):
    schedule_file(
        {"id": "old", "applies_from": "2019-10-01", "review": 80000},
        {"id": "new", "applies_from": "2026-07-01", "review": 99000, "include": "false"},
    )
    before = factories.application(orgs, users, submitted_on=datetime.date(2026, 6, 30))
    after = factories.application(orgs, users, submitted_on=datetime.date(2026, 7, 1))
    submit(before)
    submit(after)
    old = Invoice.objects.get(application=before)
    new = Invoice.objects.get(application=after)
    assert (old.schedule_id, old.total) == ("old", 80000)
    assert (new.schedule_id, new.total, new.tax_total) == ("new", 108900, 9900)


def test_invoice_numbers_run_per_body_and_restart_each_year(orgs, users, today):
    for _ in range(2):
        submit(factories.application(orgs, users, reception="JAIPA"))
    submit(factories.application(orgs, users, reception="TCA"))
    today(datetime.date(2027, 1, 4))
    submit(factories.application(orgs, users, reception="JAIPA"))
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        "JAIPA-2026-000001",
        "JAIPA-2026-000002",
        "JAIPA-2027-000001",
        "TCA-2026-000001",
    ]


def test_issuer_without_a_valid_registration_number_gives_a_plain_invoice(orgs, users, today):
    body = orgs["TCA"]
    body.invoice_registration_number = "1234"
    body.save()
    app = factories.application(orgs, users, reception="TCA")
    submit(app)
    invoice = Invoice.objects.get(application=app)
    assert invoice.issuer_registration_number == ""
    assert not invoice.is_qualified
