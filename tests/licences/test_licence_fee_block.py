"""issue_licence and the fee schedule's blocking rules: a new licence waits for the first annual
fee (licence_not_issued_until_annual_fee_paid, off in the shipped schedule); a renewal is not
granted while an annual fee of the licence is overdue (renewal_not_granted_while_annual_fee_overdue,
on). A refusal changes nothing; paying lifts it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from ssmark.applications.models import ApplicationStatus
from ssmark.applications.states import transition
from ssmark.core.models import AuditEntry
from ssmark.fees import services as fees
from ssmark.fees.models import FeeKind, Invoice
from ssmark.licences.models import Licence, LicenceCounter, LicenceStatus, LicenceTerm
from ssmark.licences.services import (
    ERROR_LICENCE_FEE_UNPAID,
    ERROR_RENEWAL_FEE_OVERDUE,
    LicenceFeeUnpaid,
    issue_licence,
    start_renewal,
)
from tests.fees.factories import write_schedule

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 11, 25)  # the fees app's "today": the licence's first fee is overdue
IN_WINDOW = datetime.date(2027, 6, 1)


@pytest.fixture(autouse=True)
def fees_today(freeze_today: Callable[[datetime.date], None]) -> None:
    freeze_today(TODAY)


@pytest.fixture
def fee_rules(settings: Any, tmp_path: Path) -> Callable[..., None]:
    def install(**rules: str) -> None:
        path = write_schedule(tmp_path / "schedules.yaml", rules)
        settings.SSMARK_FEE_SCHEDULE_FILE = str(path)

    return install


def pay(invoice: Invoice, users) -> None:
    fees.record_payment(
        invoice=invoice,
        received_on=TODAY,
        amount=fees.balance(invoice).outstanding,
        method="bank_transfer",
        actor=users["sue"],
    )


def prefix(message: Any) -> str:
    return str(message).split("%")[0]


def counter() -> int:
    row = LicenceCounter.objects.filter(name="licence").first()
    return row.value if row else 0


def test_new_licence_waits_for_the_first_annual_fee(make_application, users, fee_rules):
    fee_rules(block_licence="true")
    application = make_application()
    before = counter()
    with pytest.raises(LicenceFeeUnpaid) as exc:
        issue_licence(application=application, actor=users["sue"], approved_on=TODAY)
    assert str(exc.value).startswith(prefix(ERROR_LICENCE_FEE_UNPAID))
    assert str(fees.BLOCK_ANNUAL_FEE_NOT_INVOICED) in str(exc.value)

    annual = fees.raise_first_annual_fee(application=application, start=TODAY)
    assert annual is not None
    with pytest.raises(LicenceFeeUnpaid) as exc:
        issue_licence(application=application, actor=users["sue"], approved_on=TODAY)
    assert annual.number in str(exc.value)
    assert [b.invoice for b in exc.value.blocks] == [annual]
    assert not Licence.objects.exists() and not LicenceTerm.objects.exists()
    assert counter() == before
    assert not AuditEntry.objects.filter(action="ssmark.licence.issued").exists()

    pay(annual, users)
    licence = issue_licence(application=application, actor=users["sue"], approved_on=TODAY)
    assert licence.status == LicenceStatus.ACTIVE
    # The first annual fee was invoiced before the issue: not again.
    assert Invoice.objects.filter(application=application, fee_kind=FeeKind.ANNUAL).count() == 1


def test_new_licence_is_issued_unpaid_with_the_shipped_schedule(make_application, users):
    licence = issue_licence(application=make_application(), actor=users["sue"], approved_on=TODAY)
    assert licence.status == LicenceStatus.ACTIVE


@pytest.fixture
def approved_renewal(licence: Licence, users):
    """J0001's renewal, approved; the licence's first annual fee (due 2026-02) is overdue."""
    # Invoiced after the issue, as the committee does (pass notice deemed received 2026-01-17).
    fees.raise_first_annual_fee(
        application=licence.application, licence=licence, start=datetime.date(2026, 1, 17)
    )
    app = start_renewal(licence=licence, actor=users["alice"], today=IN_WINDOW)
    with transaction.atomic():
        app.status = ApplicationStatus.FIRST_REVIEW_PASSED
        app.save(update_fields=["status"])
        transition(app, to_status=ApplicationStatus.APPROVED, actor=users["sue"], action="t")
    return app


def test_renewal_is_not_granted_while_an_annual_fee_is_overdue(licence, approved_renewal, users):
    annual = Invoice.objects.get(licence=licence, fee_kind=FeeKind.ANNUAL)
    licence.refresh_from_db()
    before = (licence.status, licence.valid_from, licence.valid_until, licence.application_id)
    with pytest.raises(LicenceFeeUnpaid) as exc:
        issue_licence(application=approved_renewal, actor=users["sue"], approved_on=TODAY)
    assert str(exc.value).startswith(prefix(ERROR_RENEWAL_FEE_OVERDUE))
    assert annual.number in str(exc.value)
    licence.refresh_from_db()
    assert (licence.status, licence.valid_from, licence.valid_until, licence.application_id) == (
        before
    )
    assert not LicenceTerm.objects.filter(application=approved_renewal).exists()
    assert not AuditEntry.objects.filter(action="ssmark.licence.renewed").exists()

    pay(annual, users)
    renewed = issue_licence(application=approved_renewal, actor=users["sue"], approved_on=TODAY)
    assert renewed.valid_until > before[2]


def test_renewal_is_granted_overdue_when_the_rule_is_off(
    licence, approved_renewal, users, fee_rules
):
    fee_rules(block_renewal="false")
    assert fees.unpaid_blocks(action="grant_renewal", licence=licence) == []
    renewed = issue_licence(application=approved_renewal, actor=users["sue"], approved_on=TODAY)
    assert LicenceTerm.objects.filter(application=approved_renewal).exists()
    assert renewed.status == LicenceStatus.ACTIVE
