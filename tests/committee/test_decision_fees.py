"""Unpaid fees and the committee: the fee schedule's rules
committee_decision_not_made_until_review_fee_paid (no approval until the review fee is paid)
and licence_not_issued_until_annual_fee_paid / renewal_not_granted_while_annual_fee_overdue
(the approval stands; the licence waits, and is issued from the agenda item once paid)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from ssmark.accounts.models import User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import ReviewType
from ssmark.committee import services
from ssmark.committee.models import AgendaItem, Session, SessionStatus
from ssmark.core import clock
from ssmark.core.models import AuditEntry
from ssmark.fees import services as fees
from ssmark.fees.models import FeeKind, Invoice
from ssmark.licences.models import Licence, LicenceTerm, RenewalLink
from tests.fees import factories
from tests.fees.factories import write_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def fee_rules(settings: Any, tmp_path: Path) -> Callable[..., None]:
    """`fee_rules(block_committee="true", ...)` installs a fee schedule with these rules."""

    def install(**rules: str) -> None:
        path = write_schedule(tmp_path / "schedules.yaml", rules)
        settings.SSMARK_FEE_SCHEDULE_FILE = str(path)

    return install


@pytest.fixture
def held(make_session: Callable[..., Session]) -> Session:
    return make_session(timezone.localdate(), status=SessionStatus.HELD)


@pytest.fixture
def item(
    held: Session, make_application: Callable[..., Application], users: dict[str, User]
) -> AgendaItem:
    """A new application on the agenda of a session being held; its review fee invoiced."""
    application = make_application()
    fees.raise_review_fee(application=application)
    placed = services.place_on_agenda(application=application, actor=users["sue"], session=held)
    assert placed is not None
    return placed


def approve(item: AgendaItem, users: dict[str, User]) -> AgendaItem:
    return services.record_decision(
        agenda_item=item,
        decision="approved",
        reasons="",
        actor=users["kei"],
        members_present=[users["kei"]],
    )


def pay(invoice: Invoice, users: dict[str, User]) -> None:
    fees.record_payment(
        invoice=invoice,
        received_on=clock.today(),
        amount=fees.balance(invoice).outstanding,
        method="bank_transfer",
        actor=users["sue"],
    )


def review_fee(item: AgendaItem) -> Invoice:
    return Invoice.objects.get(application_id=item.application_id, fee_kind=FeeKind.REVIEW)


def undecided(item: AgendaItem) -> bool:
    item.refresh_from_db()
    application = Application.objects.get(pk=item.application_id)
    return (
        item.decision == ""
        and application.status == ApplicationStatus.FIRST_REVIEW_PASSED
        and not Licence.objects.exists()
        and not AuditEntry.objects.filter(action="ssmark.committee.approved").exists()
    )


# --- committee_decision_not_made_until_review_fee_paid ---------------------------------------


def test_approval_is_refused_while_the_review_fee_is_unpaid(item, users, fee_rules):
    fee_rules(block_committee="true")
    invoice = review_fee(item)
    with pytest.raises(services.CommitteeError) as exc:
        approve(item, users)
    assert invoice.number in str(exc.value)
    assert str(exc.value).startswith(str(services.ERROR_FEE_UNPAID).split("%")[0])
    assert undecided(item)
    # Rejecting or deferring is not held up.
    services.record_decision(
        agenda_item=item,
        decision="deferred",
        reasons="追加資料を待つ",
        actor=users["kei"],
        members_present=[users["kei"]],
    )


def test_paying_the_review_fee_lifts_the_block(item, users, fee_rules):
    fee_rules(block_committee="true")
    pay(review_fee(item), users)
    approve(item, users)
    assert Licence.objects.filter(application_id=item.application_id).exists()


def test_with_the_shipped_schedule_the_committee_approves_unpaid(item, users):
    assert fees.balance(review_fee(item)).outstanding > 0
    approve(item, users)
    assert Licence.objects.filter(application_id=item.application_id).exists()


def test_item_page_shows_the_unpaid_fee_and_the_refusal_as_a_form_error(
    item, users, client_for, fee_rules
):
    fee_rules(block_committee="true")
    invoice = review_fee(item)
    kei = client_for("kei")
    url = reverse("committee:item", args=[item.pk])
    page = kei.get(url).content.decode()
    assert 'data-testid="fee-unpaid"' in page and invoice.number in page

    response = kei.post(url, {"decision": "approved", "members_present": [users["kei"].pk]})
    assert response.status_code == 200
    assert invoice.number in " ".join(response.context["form"].non_field_errors())
    assert undecided(item)


# --- the steps of an approval, in order ---------------------------------------------------------


def test_approval_issues_the_licence_then_invoices_the_first_annual_fee(
    make_session, make_application, users, freeze_today
):
    """Shipped schedule (the licence does not wait): record_decision approves and issues the
    licence; year 1 is invoiced once the receipt date is fixed, here the deemed receipt (dated
    2026-04-08, deemed received 7 days later, per scheme.yaml), due one month counted from it."""
    freeze_today(datetime.date(2026, 4, 8))
    session = make_session(datetime.date(2026, 4, 8), status=SessionStatus.HELD)
    application = make_application()
    fees.raise_review_fee(application=application)
    placed = services.place_on_agenda(application=application, actor=users["sue"], session=session)
    assert placed is not None
    approve(placed, users)
    licence = Licence.objects.get(application=application)
    # Issue 9.9: not invoiced until the receipt date is fixed: the holder's confirmation, or
    # (here) the deemed date, when the daily job raises it.
    assert not Invoice.objects.filter(application=application, fee_kind=FeeKind.ANNUAL).exists()
    fees.raise_due_annual_fees(today=datetime.date(2026, 4, 15))
    annual = Invoice.objects.get(application=application, fee_kind=FeeKind.ANNUAL)
    assert annual.licence == licence and annual.fee_year == 1
    assert annual.due_on == datetime.date(2026, 5, 14)
    actions = list(
        AuditEntry.objects.filter(
            action__in=[
                "ssmark.committee.approved",
                "ssmark.licence.issued",
                "ssmark.fees.invoice_issued",
            ]
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == [
        "ssmark.committee.approved",
        "ssmark.licence.issued",
        "ssmark.fees.invoice_issued",
    ]


# --- licence_not_issued_until_annual_fee_paid -------------------------------------------------


def test_approval_stands_and_the_licence_waits_for_the_first_annual_fee(
    item, users, client_for, fee_rules, freeze_today
):
    fee_rules(block_licence="true")
    freeze_today(datetime.date(2026, 4, 10))
    approve(item, users)
    application = Application.objects.get(pk=item.application_id)
    assert application.status == ApplicationStatus.APPROVED
    assert not Licence.objects.exists() and not LicenceTerm.objects.exists()
    annual = Invoice.objects.get(application=application, fee_kind=FeeKind.ANNUAL)
    # Invoiced at the approval, due one month counted from that day (Civil Code).
    assert annual.licence is None and annual.due_on == datetime.date(2026, 5, 9)
    entry = AuditEntry.objects.get(action="ssmark.committee.licence_waiting_for_fee")
    assert entry.data["invoices"] == [annual.number]

    kei = client_for("kei")
    url = reverse("committee:item", args=[item.pk])
    page = kei.get(url).content.decode()
    assert 'data-testid="licence-waiting"' in page and annual.number in page
    issue = reverse("committee:item_issue_licence", args=[item.pk])
    response = kei.post(issue, follow=True)
    assert response.status_code == 200 and annual.number in response.content.decode()
    assert not Licence.objects.exists()

    pay(annual, users)
    response = kei.post(issue, follow=True)
    licence = Licence.objects.get(application=application)
    assert licence.first_granted_on == item.session.date
    assert 'data-testid="licence-number"' in response.content.decode()
    assert 'data-testid="licence-waiting"' not in response.content.decode()
    # Issued once: a second request is refused.
    with pytest.raises(services.CommitteeError):
        services.issue_waiting_licence(agenda_item=item, actor=users["kei"])
    assert Invoice.objects.filter(application=application, fee_kind=FeeKind.ANNUAL).count() == 1


@pytest.mark.parametrize("name", ["alice", "bob", "charlie", "rin", "tomo", "ren", "taro"])
def test_others_cannot_issue_a_waiting_licence(item, users, client_for, fee_rules, name):
    fee_rules(block_licence="true")
    approve(item, users)
    pay(Invoice.objects.get(application_id=item.application_id, fee_kind=FeeKind.ANNUAL), users)
    response = client_for(name).post(reverse("committee:item_issue_licence", args=[item.pk]))
    assert response.status_code == 404
    assert not Licence.objects.exists()


# --- renewal_not_granted_while_annual_fee_overdue (on in the shipped schedule) -----------------


@pytest.fixture
def renewal_item(
    held: Session, orgs: dict[str, Any], users: dict[str, User], make_application
) -> tuple[AgendaItem, Licence, Invoice]:
    """A renewal on the agenda; its licence's first annual fee is overdue."""
    previous = make_application(status=ApplicationStatus.APPROVED)
    licence = factories.licence(orgs, app=previous, first_granted_on=datetime.date(2024, 12, 1))
    annual = fees.raise_first_annual_fee(
        application=previous, licence=licence, start=datetime.date(2024, 12, 8)
    )
    assert annual is not None
    renewal = make_application()
    Application.objects.filter(pk=renewal.pk).update(review_type=ReviewType.RENEWAL)
    renewal.refresh_from_db()
    RenewalLink.objects.create(
        application=renewal, licence=licence, renews_until=licence.valid_until
    )
    placed = services.place_on_agenda(application=renewal, actor=users["sue"], session=held)
    assert placed is not None
    return placed, licence, annual


def test_renewal_approved_while_an_annual_fee_is_overdue_waits(renewal_item, users):
    item, licence, annual = renewal_item
    before = (licence.valid_from, licence.valid_until)
    approve(item, users)
    licence.refresh_from_db()
    assert (licence.valid_from, licence.valid_until) == before
    assert not LicenceTerm.objects.filter(application_id=item.application_id).exists()
    assert services.licence_fee_blocks(item.application)[0].invoice == annual

    pay(annual, users)
    services.issue_waiting_licence(agenda_item=item, actor=users["sue"])
    licence.refresh_from_db()
    assert licence.valid_until > before[1]
    assert LicenceTerm.objects.filter(application_id=item.application_id).exists()


def test_renewal_is_granted_at_approval_when_the_rule_is_off(renewal_item, users, fee_rules):
    fee_rules(block_renewal="false")
    item, _licence, _annual = renewal_item
    approve(item, users)
    assert LicenceTerm.objects.filter(application_id=item.application_id).exists()
    # A renewal keeps the licence's yearly cycle: no "first" annual fee for it.
    assert not Invoice.objects.filter(
        application_id=item.application_id, fee_kind=FeeKind.ANNUAL
    ).exists()
