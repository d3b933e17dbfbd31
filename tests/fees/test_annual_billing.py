"""Each licence year after the first raises its annual fee on the anniversary, once."""

from __future__ import annotations

import datetime

import pytest

from ssmark.fees import services
from ssmark.fees.models import FeeKind, Invoice
from ssmark.licences.models import LicenceStatus
from tests.fees import factories

pytestmark = pytest.mark.django_db


def test_anniversary_raises_the_next_year_once(orgs, today):
    licence = factories.licence(orgs, first_granted_on=datetime.date(2025, 5, 1))
    assert services.raise_due_annual_fees(today=datetime.date(2026, 4, 30)) == []
    today(datetime.date(2026, 5, 1))
    raised = services.raise_due_annual_fees(today=datetime.date(2026, 5, 1))
    assert len(raised) == 1
    invoice = raised[0]
    assert (invoice.licence, invoice.fee_kind, invoice.fee_year) == (licence, FeeKind.ANNUAL, 2)
    assert invoice.period_start == datetime.date(2026, 5, 1)
    assert invoice.due_on == datetime.date(2026, 5, 31)
    assert invoice.total == 20000
    assert invoice.addressee == orgs["sample-net"] and invoice.issuer == orgs["JAIPA"]
    assert licence.number in invoice.lines[0]["description"]
    # Running again (same day, later days) raises nothing more.
    assert services.raise_due_annual_fees(today=datetime.date(2026, 5, 1)) == []
    assert services.raise_due_annual_fees(today=datetime.date(2026, 6, 15)) == []
    # The next year, year 3.
    assert services.raise_due_annual_fees(today=datetime.date(2027, 5, 2))[0].fee_year == 3
    assert Invoice.objects.count() == 2


def test_long_past_anniversaries_are_not_billed(orgs, today):
    # A licence imported from paper records (granted 2003): only a recent anniversary bills.
    factories.licence(orgs, first_granted_on=datetime.date(2003, 1, 10))
    assert services.raise_due_annual_fees(today=datetime.date(2026, 4, 10)) == []
    raised = services.raise_due_annual_fees(today=datetime.date(2027, 1, 20))
    assert [i.fee_year for i in raised] == [25]


@pytest.mark.parametrize("status", [LicenceStatus.LAPSED, LicenceStatus.REVOKED])
def test_licences_no_longer_valid_are_not_billed(orgs, today, status):
    factories.licence(orgs, first_granted_on=datetime.date(2025, 5, 1), status=status)
    assert services.raise_due_annual_fees(today=datetime.date(2026, 5, 1)) == []


def test_29_february_anniversary(orgs, today):
    factories.licence(orgs, first_granted_on=datetime.date(2024, 2, 29))
    raised = services.raise_due_annual_fees(today=datetime.date(2025, 2, 28))
    assert [(i.fee_year, i.period_start) for i in raised] == [(2, datetime.date(2025, 2, 28))]
