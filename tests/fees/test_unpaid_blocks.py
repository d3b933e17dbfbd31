"""`unpaid_blocks()`: what an unpaid fee holds up, by the scheme's settings in the schedule."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications.models import Application
from ssmark.fees import services
from ssmark.fees.models import Invoice
from ssmark.fees.services import BlockedAction, raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db


def submit(app: Application) -> Invoice:
    raise_review_fee(application=app, actor=None)  # as submit() does
    return Invoice.objects.get(application=app)


def test_shipped_settings_block_nothing_on_an_unpaid_review_fee(orgs, users, today):
    app = factories.application(orgs, users)
    submit(app)
    for action in (BlockedAction.START_FIRST_REVIEW, BlockedAction.ISSUE_LICENCE):
        assert services.unpaid_blocks(action=action, application=app) == []


def test_review_fee_blocks_the_first_review_when_the_scheme_says_so(
    orgs, users, today, schedule_file
):
    schedule_file({"block_review": "true"})
    app = factories.application(orgs, users)
    invoice = submit(app)
    blocks = services.unpaid_blocks(action="start_first_review", application=app)
    assert [(b.rule, b.invoice) for b in blocks] == [
        ("first_review_not_started_until_review_fee_paid", invoice)
    ]
    assert invoice.number in blocks[0].message
    services.record_payment(
        invoice=invoice,
        received_on=datetime.date(2026, 4, 10),
        amount=80000,
        method="bank_transfer",
        actor=users["rin"],
    )
    assert services.unpaid_blocks(action="start_first_review", application=app) == []


def test_licence_waits_for_the_first_annual_fee_when_the_scheme_says_so(
    orgs, users, today, schedule_file
):
    schedule_file({"block_licence": "true"})
    app = factories.application(orgs, users)
    blocks = services.unpaid_blocks(action=BlockedAction.ISSUE_LICENCE, application=app)
    assert [b.message for b in blocks] == [str(services.BLOCK_ANNUAL_FEE_NOT_INVOICED)]
    # What the committee does at the approval (committee.services.record_decision).
    services.raise_first_annual_fee(application=app, start=datetime.date(2026, 4, 10))
    blocks = services.unpaid_blocks(action=BlockedAction.ISSUE_LICENCE, application=app)
    assert len(blocks) == 1 and blocks[0].invoice is not None
    services.record_payment(
        invoice=blocks[0].invoice,
        received_on=datetime.date(2026, 4, 10),
        amount=20000,
        method="bank_transfer",
        actor=users["sue"],
    )
    assert services.unpaid_blocks(action=BlockedAction.ISSUE_LICENCE, application=app) == []


def test_overdue_annual_fee_blocks_a_renewal(orgs, users, today):
    licence = factories.licence(orgs, first_granted_on=datetime.date(2025, 5, 1))
    today(datetime.date(2026, 5, 1))
    services.raise_due_annual_fees(today=datetime.date(2026, 5, 1))
    assert services.unpaid_blocks(action="grant_renewal", licence=licence) == []  # not yet due
    today(datetime.date(2026, 6, 1))
    blocks = services.unpaid_blocks(action="grant_renewal", licence=licence)
    assert [b.rule for b in blocks] == ["renewal_not_granted_while_annual_fee_overdue"]


def test_unknown_action_is_an_error(orgs, users, today):
    with pytest.raises(ValueError):
        services.unpaid_blocks(action="publish", application=None)
