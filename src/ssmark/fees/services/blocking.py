"""What an unpaid fee holds up (`unpaid_blocks()`, for the other apps to ask), and the
secretariat's list of unpaid review fees."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import ReviewType
from ssmark.core.refusals import WrongState
from ssmark.licences.models import Licence

from ..models import DocumentType, FeeKind, Invoice, InvoiceStatus
from ..schedule import schedule_for
from . import clock
from .access import visible_invoices
from .balances import with_balances
from .billing import REVIEW_KINDS

# Messages of unpaid_blocks().
BLOCK_REVIEW_FEE_UNPAID = _("The review fee (invoice %(number)s) is not paid.")
BLOCK_REVIEW_FEE_NOT_INVOICED = _("No review fee has been invoiced for this application.")
BLOCK_REVIEW_FEE_NOT_REQUESTED = _(
    "The review fee is due by the submission: request its invoice from this application and "
    "pay it before submitting."
)
BLOCK_REVIEW_FEE_UNPAID_BEFORE_SUBMISSION = _(
    "The review fee (invoice %(number)s) is due by the submission: the application can be "
    "submitted once it is paid."
)
BLOCK_ANNUAL_FEE_UNPAID = _("The annual mark usage fee (invoice %(number)s) is not paid.")
BLOCK_ANNUAL_FEE_NOT_INVOICED = _("The first annual mark usage fee has not been invoiced.")
BLOCK_ANNUAL_FEE_OVERDUE = _("The annual mark usage fee (invoice %(number)s) is overdue.")


class BlockedAction(enum.StrEnum):
    SUBMIT_APPLICATION = "submit_application"
    START_FIRST_REVIEW = "start_first_review"
    COMMITTEE_DECISION = "committee_decision"
    ISSUE_LICENCE = "issue_licence"
    GRANT_RENEWAL = "grant_renewal"


@dataclass(frozen=True)
class UnpaidBlock:
    """One reason an action is held up by an unpaid fee."""

    rule: str  # the schedule's blocking rule that applies
    message: str
    invoice: Invoice | None = None


def _open_invoices(qs: QuerySet[Invoice], today: datetime.date) -> list[Invoice]:
    return list(
        with_balances(qs.filter(document_type=DocumentType.INVOICE), today=today).filter(
            Q(outstanding__gt=0)
        )
    )


def _unpaid(
    rule: str,
    invoices: QuerySet[Invoice],
    today: datetime.date,
    *,
    not_invoiced: Promise,
    unpaid: Promise,
) -> list[UnpaidBlock]:
    """A fee that must be paid first: one block if none of `invoices` is issued yet, else one
    for each of them still owed."""
    if not invoices.filter(document_type=DocumentType.INVOICE).exists():
        return [UnpaidBlock(rule=rule, message=str(not_invoiced))]
    return [
        UnpaidBlock(rule=rule, message=str(unpaid) % {"number": inv.number}, invoice=inv)
        for inv in _open_invoices(invoices, today)
    ]


# The actions the review fee holds up: action -> (the schedule's rule, message when no review
# fee is invoiced, message for each invoice still owed).
_REVIEW_FEE_RULES: dict[BlockedAction, tuple[str, Promise, Promise]] = {
    BlockedAction.SUBMIT_APPLICATION: (
        "submission_not_made_until_review_fee_paid",
        BLOCK_REVIEW_FEE_NOT_REQUESTED,
        BLOCK_REVIEW_FEE_UNPAID_BEFORE_SUBMISSION,
    ),
    BlockedAction.START_FIRST_REVIEW: (
        "first_review_not_started_until_review_fee_paid",
        BLOCK_REVIEW_FEE_NOT_INVOICED,
        BLOCK_REVIEW_FEE_UNPAID,
    ),
    BlockedAction.COMMITTEE_DECISION: (
        "committee_decision_not_made_until_review_fee_paid",
        BLOCK_REVIEW_FEE_NOT_INVOICED,
        BLOCK_REVIEW_FEE_UNPAID,
    ),
}


def unpaid_blocks(
    *,
    action: str,
    application: Application | None = None,
    licence: Licence | None = None,
    today: datetime.date | None = None,
) -> list[UnpaidBlock]:
    """What unpaid fees block `action` (a BlockedAction value); an empty list means nothing does.

    The rules are settings of the scheme in the fee schedule in force today (`blocking:` in
    schedules.yaml, per scheme version):
    - submit_application (application=): submission_not_made_until_review_fee_paid
    - start_first_review (application=): first_review_not_started_until_review_fee_paid
    - committee_decision (application=): committee_decision_not_made_until_review_fee_paid
    - issue_licence (application=, a new application): licence_not_issued_until_annual_fee_paid
    - grant_renewal (licence=): renewal_not_granted_while_annual_fee_overdue
    """
    today = today or clock.today()
    schedule = schedule_for(today)
    act = BlockedAction(action)
    if act in _REVIEW_FEE_RULES:
        if application is None:
            raise ValueError(f"unpaid_blocks({act}) needs application=")
        rule, not_invoiced, unpaid = _REVIEW_FEE_RULES[act]
        if not schedule.blocks(application.scheme, rule):
            return []
        return _unpaid(
            rule,
            Invoice.objects.filter(application=application, fee_kind__in=REVIEW_KINDS),
            today,
            not_invoiced=not_invoiced,
            unpaid=unpaid,
        )
    if act == BlockedAction.ISSUE_LICENCE:
        if application is None:
            raise ValueError("unpaid_blocks(issue_licence) needs application=")
        rule = "licence_not_issued_until_annual_fee_paid"
        if application.review_type != ReviewType.NEW or not schedule.blocks(
            application.scheme, rule
        ):
            return []
        return _unpaid(
            rule,
            Invoice.objects.filter(application=application, fee_kind=FeeKind.ANNUAL, fee_year=1),
            today,
            not_invoiced=BLOCK_ANNUAL_FEE_NOT_INVOICED,
            unpaid=BLOCK_ANNUAL_FEE_UNPAID,
        )
    if licence is None:
        raise ValueError("unpaid_blocks(grant_renewal) needs licence=")
    rule = "renewal_not_granted_while_annual_fee_overdue"
    if not schedule.blocks(licence.scheme, rule):
        return []
    annual = Invoice.objects.filter(fee_kind=FeeKind.ANNUAL).filter(
        Q(licence=licence) | Q(application__isnull=False, application=licence.application)
    )
    return [
        UnpaidBlock(
            rule=rule, message=str(BLOCK_ANNUAL_FEE_OVERDUE % {"number": inv.number}), invoice=inv
        )
        for inv in _open_invoices(annual, today)
        if inv.balance_status == InvoiceStatus.OVERDUE  # type: ignore[attr-defined]
    ]


@dataclass(frozen=True)
class ReviewFeeStatus:
    """The review fee as the applicant's submit page shows it."""

    required_before_submission: bool  # the schedule's submission_not_made_until_review_fee_paid
    invoice: Invoice | None
    outstanding: int  # yen still owed on it (0 when paid, or when there is no invoice)

    @property
    def paid(self) -> bool:
        return self.invoice is not None and self.outstanding == 0


def review_fee_status(
    application: Application, *, today: datetime.date | None = None
) -> ReviewFeeStatus:
    today = today or clock.today()
    rule = "submission_not_made_until_review_fee_paid"
    required = schedule_for(today).blocks(application.scheme, rule)
    invoice = (
        with_balances(
            Invoice.objects.filter(
                application=application,
                fee_kind__in=REVIEW_KINDS,
                document_type=DocumentType.INVOICE,
            ),
            today=today,
        )
        .order_by("issued_on", "id")
        .first()
    )
    owed = int(getattr(invoice, "outstanding", 0) or 0) if invoice is not None else 0
    return ReviewFeeStatus(required, invoice, owed)


class FeeUnpaid(WrongState):
    """An unpaid fee holds an action up; `blocks` says which (each with its invoice, if any).

    The message is the caller's (a lazy constant with `%(reasons)s`); the reasons are the
    blocks' messages. Apps subclass it with their own error class too
    (`class FeeUnpaid(ReviewError, fees.FeeUnpaid)`), so their callers catch one type."""

    default_code = "fee_unpaid"

    def __init__(self, message: str | Promise, blocks: list[UnpaidBlock]) -> None:
        super().__init__(message, {"reasons": " ".join(b.message for b in blocks)})
        self.blocks = blocks


def refuse_if_unpaid(
    *,
    action: str,
    message: str | Promise,
    refusal: type[FeeUnpaid] = FeeUnpaid,
    application: Application | None = None,
    licence: Licence | None = None,
) -> None:
    """Raise `refusal(message, blocks)` when unpaid fees block `action` (see unpaid_blocks);
    the one check behind the first review, the committee's approval and the licence's issue."""
    blocks = unpaid_blocks(action=action, application=application, licence=licence)
    if blocks:
        raise refusal(message, blocks)


def unpaid_review_fees(user: Any, *, today: datetime.date | None = None) -> QuerySet[Invoice]:
    """Unpaid (renewal) review fees of submitted applications that `user` may see."""
    return (
        with_balances(
            visible_invoices(user).filter(
                document_type=DocumentType.INVOICE,
                fee_kind__in=REVIEW_KINDS,
                application__isnull=False,
            ),
            today=today,
        )
        .filter(Q(outstanding__gt=0))
        .exclude(application__status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .select_related("application")
        .order_by("due_on", "number")
    )
