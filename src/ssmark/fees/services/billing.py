"""Raising the fees the schedule in force sets: the (renewal) review fee when an application is
submitted, the first annual mark usage fee with a new licence, then one a licence year."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from ssmark.accounts.models import Organisation
from ssmark.applications.models import Application
from ssmark.applications.permissions import is_applicant_member
from ssmark.applications.states import EDITABLE_STATES
from ssmark.catalog.models import ReviewType
from ssmark.core.periods import add_months
from ssmark.licences.models import VALID_STATUSES, Licence

from ..models import DocumentType, FeeKind, Invoice
from ..schedule import FeeSchedule, schedule_for
from ..tax import Line
from . import clock
from .errors import ERROR_NOT_ALLOWED, ERROR_REVIEW_FEE_NOT_NOW, FeesError
from .issuing import issue_invoice

REVIEW_KINDS = (FeeKind.REVIEW, FeeKind.RENEWAL_REVIEW)
DESCRIPTIONS = {
    FeeKind.REVIEW: ("審査料金", "Review fee"),
    FeeKind.RENEWAL_REVIEW: ("更新審査料金", "Renewal review fee"),
    FeeKind.ANNUAL: ("マーク年間使用料金", "Annual mark usage fee"),
}


def _raise_fee(
    schedule: FeeSchedule,
    fee_kind: str,
    *,
    issuer: Organisation,
    addressee: Organisation,
    on: datetime.date,
    suffix: str,
    suffix_en: str,
    **links: Any,
) -> Invoice:
    """Issue `schedule`'s `fee_kind` fee as one line (its description + `suffix`), dated `on`
    and due by the schedule's rule counted from `on`; `links`: the rest of issue_invoice's
    arguments (actor, application, licence, fee_year, period_start)."""
    fee = schedule.fee(fee_kind)
    ja, en = DESCRIPTIONS[FeeKind(fee_kind)]
    line = Line(
        description=ja + suffix,
        description_en=en + suffix_en,
        quantity=1,
        unit_price=fee.amount,
        tax_rate=schedule.tax_rate,
    )
    return issue_invoice(
        issuer=issuer,
        addressee=addressee,
        fee_kind=fee_kind,
        lines=[line],
        amounts_include_tax=schedule.amounts_include_tax,
        schedule_id=schedule.id,
        transaction_date=on,
        due_on=fee.due.due_on(on),
        **links,
    )


def raise_review_fee(*, application: Application, actor: Any = None) -> Invoice | None:
    """The (renewal) review fee of `application`, due by its submission; once per application
    (a resubmission raises nothing). Returns None when it was already raised."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        kind = (
            FeeKind.RENEWAL_REVIEW
            if application.review_type == ReviewType.RENEWAL
            else FeeKind.REVIEW
        )
        if Invoice.objects.filter(
            application=application, fee_kind__in=REVIEW_KINDS, document_type=DocumentType.INVOICE
        ).exists():
            return None
        submitted = application.submitted_on or clock.today()
        return _raise_fee(
            schedule_for(submitted),
            kind,
            issuer=application.reception_body,
            addressee=application.organisation,
            on=submitted,
            suffix=f"（{application.service_name}）",
            suffix_en=f" ({application.service_name})",
            actor=actor,
            application=application,
        )


def request_review_fee(*, actor: Any, application: Application) -> Invoice:
    """The applicant asks for the (renewal) review fee's invoice from the application, before
    submitting it (the fee is due by the submission; the schedule's
    `submission_not_made_until_review_fee_paid`). Dated today; once per application: a second
    request returns the invoice already issued."""
    if not is_applicant_member(actor, application):
        raise FeesError(ERROR_NOT_ALLOWED)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        existing = Invoice.objects.filter(
            application=locked, fee_kind__in=REVIEW_KINDS, document_type=DocumentType.INVOICE
        ).first()
        if existing is not None:
            return existing
        if locked.status not in EDITABLE_STATES:
            raise FeesError(ERROR_REVIEW_FEE_NOT_NOW)
        invoice = raise_review_fee(application=locked, actor=actor)
        assert invoice is not None  # none existed, under the row lock
        return invoice


def raise_first_annual_fee(
    *,
    application: Application,
    start: datetime.date,
    licence: Licence | None = None,
    actor: Any = None,
) -> Invoice | None:
    """The first year's annual mark usage fee for a new licence, due within one month counted
    from `start` (the day the pass notice is received). Once per application."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        if Invoice.objects.filter(
            application=application,
            fee_kind=FeeKind.ANNUAL,
            fee_year=1,
            document_type=DocumentType.INVOICE,
        ).exists():
            return None
        label = licence.number if licence else application.service_name
        return _raise_fee(
            schedule_for(start),
            FeeKind.ANNUAL,
            issuer=application.reception_body,
            addressee=application.organisation,
            on=start,
            suffix=f"（{label}・第1年度）",
            suffix_en=f" ({label}, year 1)",
            actor=actor,
            application=application,
            licence=licence,
            fee_year=1,
            period_start=licence.first_granted_on if licence else None,
        )


def last_anniversary(
    first_granted_on: datetime.date, today: datetime.date
) -> tuple[int, datetime.date] | None:
    """(licence year, its first day) of the latest anniversary on or before `today`; None in
    the first year. Year 2 starts one year after the grant."""
    years = today.year - first_granted_on.year
    start = add_months(first_granted_on, 12 * years)
    if start > today:
        years -= 1
        start = add_months(first_granted_on, 12 * years)
    if years < 1:
        return None
    return years + 1, start


def raise_annual_fee_for_year(
    *, licence: Licence, today: datetime.date | None = None
) -> Invoice | None:
    """The annual fee of `licence`'s current licence year (year ≥ 2), if it is due and not yet
    raised, and the anniversary is recent enough (the schedule's catch_up_days)."""
    today = today or clock.today()
    with transaction.atomic():
        locked = (
            Licence.objects.select_for_update()
            .select_related("organisation", "reception_body")
            .get(pk=licence.pk)
        )
        if locked.status not in VALID_STATUSES:
            return None
        found = last_anniversary(locked.first_granted_on, today)
        if found is None:
            return None
        year, start = found
        schedule = schedule_for(start)
        if (today - start).days > schedule.catch_up_days:
            return None
        if Invoice.objects.filter(
            licence=locked,
            fee_kind=FeeKind.ANNUAL,
            period_start=start,
            document_type=DocumentType.INVOICE,
        ).exists():
            return None
        return _raise_fee(
            schedule,
            FeeKind.ANNUAL,
            issuer=locked.reception_body,
            addressee=locked.organisation,
            on=start,
            suffix=f"（{locked.number}・第{year}年度）",
            suffix_en=f" ({locked.number}, year {year})",
            licence=locked,
            application=None,
            fee_year=year,
            period_start=start,
        )


def raise_due_annual_fees(*, today: datetime.date | None = None) -> list[Invoice]:
    """Raise every annual fee that fell due (run daily by `ssmark send_notifications`). Safe to
    run twice and concurrently: each licence year is raised once."""
    today = today or clock.today()
    raised = []
    # First the first year's fee of new licences whose pass notice nobody confirmed receiving
    # by its deemed date (the fallback; a confirmation invoices it at once).
    from ssmark.licences.services import fix_deemed_receipts

    fix_deemed_receipts(today)
    # A first anniversary is at least 365 days after the grant (29 February → 28 February).
    cutoff = today - datetime.timedelta(days=365)
    for licence in Licence.objects.filter(
        status__in=list(VALID_STATUSES), first_granted_on__lte=cutoff
    ).only("pk"):
        invoice = raise_annual_fee_for_year(licence=licence, today=today)
        if invoice is not None:
            raised.append(invoice)
    return raised
