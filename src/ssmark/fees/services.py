"""Fee workflows: issuing invoices (gap-free numbers), payments, corrections, overdue detection,
annual billing, and `unpaid_blocks()` — what an unpaid fee holds up, for the other apps to ask.

Amounts, due rules and tax come from the fee schedule in force (ssmark/fees/schedules.yaml),
never from code. Every function that writes runs in a transaction and writes an audit entry.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Organisation, Role
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import ReviewType
from ssmark.core.models import audit
from ssmark.licences.models import VALID_STATUSES, Licence

from . import signals
from .models import (
    DocumentType,
    FeeKind,
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    OverdueNotice,
    Payment,
)
from .schedule import FeeSchedule, add_months, schedule_for
from .tax import Line, totals_per_rate
from .validators import is_registration_number

ERROR_NOT_ALLOWED = _("You may not do this for this invoice.")
ERROR_AMOUNT_POSITIVE = _("The amount must be more than zero.")
ERROR_OVERPAYMENT = _(
    "This payment of %(amount)s yen is more than the %(outstanding)s yen still owed on this "
    "invoice; it was not recorded."
)
ERROR_NOTHING_OWED = _("Nothing is owed on this invoice.")
ERROR_CREDIT_NOTE_PAYMENT = _("Payments are recorded on invoices, not on credit notes.")
ERROR_FUTURE_PAYMENT = _("A payment cannot be dated in the future.")
ERROR_ALREADY_CANCELLED = _("This invoice has already been cancelled by a credit note.")
ERROR_HAS_PAYMENTS = _(
    "Payments are recorded on this invoice, so it cannot be cancelled by a credit note."
)
ERROR_CORRECT_CREDIT_NOTE = _("A credit note cannot itself be corrected.")
ERROR_REASON_REQUIRED = _("Give the reason for the correction.")

# Messages of unpaid_blocks().
BLOCK_REVIEW_FEE_UNPAID = _("The review fee (invoice %(number)s) is not paid.")
BLOCK_REVIEW_FEE_NOT_INVOICED = _("No review fee has been invoiced for this application.")
BLOCK_ANNUAL_FEE_UNPAID = _("The annual mark usage fee (invoice %(number)s) is not paid.")
BLOCK_ANNUAL_FEE_NOT_INVOICED = _("The first annual mark usage fee has not been invoiced.")
BLOCK_ANNUAL_FEE_OVERDUE = _("The annual mark usage fee (invoice %(number)s) is overdue.")

REVIEW_KINDS = (FeeKind.REVIEW, FeeKind.RENEWAL_REVIEW)
DESCRIPTIONS = {
    FeeKind.REVIEW: ("審査料金", "Review fee"),
    FeeKind.RENEWAL_REVIEW: ("更新審査料金", "Renewal review fee"),
    FeeKind.ANNUAL: ("マーク年間使用料金", "Annual mark usage fee"),
}


class FeesError(Exception):
    pass


def local_today() -> datetime.date:
    """Today in the installation's time zone (Asia/Tokyo)."""
    return timezone.localdate()


# --- who may see and handle invoices -------------------------------------------------------


def is_fees_staff(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR, Role.RECEPTION_STAFF)
    )


def visible_invoices(user: Any) -> QuerySet[Invoice]:
    """Invoices `user` may see: all (secretariat, administrators), those their body issued
    (reception staff), those addressed to their company (applicant members)."""
    qs = Invoice.objects.select_related("issuer", "addressee")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR):
        return qs
    scope = Q(pk__in=[])
    if user.organisation_id is not None:
        if user.has_role(Role.RECEPTION_STAFF):
            scope |= Q(issuer_id=user.organisation_id)
        if user.has_role(Role.APPLICANT):
            scope |= Q(addressee_id=user.organisation_id)
    return qs.filter(scope)


def can_manage(user: Any, invoice: Invoice) -> bool:
    """May record payments on and correct `invoice`."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR):
        return True
    return bool(user.has_role(Role.RECEPTION_STAFF) and user.organisation_id == invoice.issuer_id)


# --- balances and status ---------------------------------------------------------------------


def with_balances(
    qs: QuerySet[Invoice], *, today: datetime.date | None = None
) -> QuerySet[Invoice]:
    """Annotate paid_total, credited_total (≤ 0), amount_due, outstanding and balance_status.

    Overdue: the due date has passed (in Asia/Tokyo) and the invoice is not fully paid; an
    invoice due 2026-05-31 is overdue from 2026-06-01.
    """
    today = today or local_today()
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    credited = (
        Invoice.objects.filter(corrects=OuterRef("pk"), document_type=DocumentType.CREDIT_NOTE)
        .values("corrects")
        .annotate(s=Sum("total"))
        .values("s")
    )
    big = BigIntegerField()
    return (
        qs.annotate(
            paid_total=Coalesce(Subquery(paid, output_field=big), Value(0), output_field=big),
            credited_total=Coalesce(
                Subquery(credited, output_field=big), Value(0), output_field=big
            ),
        )
        .annotate(amount_due=F("total") + F("credited_total"))
        .annotate(outstanding=F("amount_due") - F("paid_total"))
        .annotate(
            balance_status=Case(
                When(document_type=DocumentType.CREDIT_NOTE, then=Value(InvoiceStatus.CREDIT)),
                When(amount_due__lte=0, then=Value(InvoiceStatus.CANCELLED)),
                When(outstanding__lte=0, then=Value(InvoiceStatus.PAID)),
                When(due_on__lt=today, then=Value(InvoiceStatus.OVERDUE)),
                When(paid_total__gt=0, then=Value(InvoiceStatus.PARTLY_PAID)),
                default=Value(InvoiceStatus.UNPAID),
                output_field=CharField(),
            )
        )
    )


@dataclass(frozen=True)
class Balance:
    paid: int
    credited: int
    amount_due: int
    outstanding: int
    status: str

    @property
    def status_label(self) -> str:
        return str(InvoiceStatus(self.status).label)


def balance(invoice: Invoice, *, today: datetime.date | None = None) -> Balance:
    row = with_balances(Invoice.objects.filter(pk=invoice.pk), today=today).get()
    return Balance(
        paid=row.paid_total,  # type: ignore[attr-defined]
        credited=row.credited_total,  # type: ignore[attr-defined]
        amount_due=row.amount_due,  # type: ignore[attr-defined]
        outstanding=row.outstanding,  # type: ignore[attr-defined]
        status=row.balance_status,  # type: ignore[attr-defined]
    )


def invoice_status(invoice: Invoice, *, today: datetime.date | None = None) -> str:
    """paid / partly_paid / unpaid / overdue / cancelled / credit (an InvoiceStatus value)."""
    return balance(invoice, today=today).status


# --- issuing ---------------------------------------------------------------------------------


def format_number(issuer: Organisation, year: int, number: int) -> str:
    """JAIPA-2026-000001: the issuing body's code, the year of issue, six digits, restarting
    at 1 each calendar year (Asia/Tokyo)."""
    code = issuer.code or f"ORG{issuer.pk}"
    return f"{code}-{year}-{number:06d}"


def _next_number(issuer: Organisation, year: int) -> int:
    """Take the next number of `issuer`'s series for `year`. The counter row stays locked until
    the surrounding transaction ends, so concurrent issuers wait; a rolled-back issue gives its
    number back (the increment is rolled back with it): no gaps, no repeats."""
    InvoiceCounter.objects.get_or_create(issuer=issuer, year=year)
    counter = InvoiceCounter.objects.select_for_update().get(issuer=issuer, year=year)
    counter.last_number += 1
    InvoiceCounter.objects.filter(pk=counter.pk).update(last_number=counter.last_number)
    return counter.last_number


def issue_invoice(
    *,
    issuer: Organisation,
    addressee: Organisation,
    fee_kind: str,
    lines: Sequence[Line],
    amounts_include_tax: bool,
    schedule_id: str,
    transaction_date: datetime.date,
    due_on: datetime.date | None,
    actor: Any = None,
    application: Application | None = None,
    licence: Licence | None = None,
    fee_year: int | None = None,
    period_start: datetime.date | None = None,
    document_type: str = DocumentType.INVOICE,
    corrects: Invoice | None = None,
    note: str = "",
) -> Invoice:
    """Issue one invoice or credit note: number, tax per rate, totals, snapshot of the parties.

    Sends `ssmark.fees.signals.invoice_issued` in the same transaction.
    """
    issued_on = local_today()
    with transaction.atomic():
        number = _next_number(issuer, issued_on.year)
        rates = totals_per_rate(lines, amounts_include_tax=amounts_include_tax)
        regno = issuer.invoice_registration_number.strip()
        invoice = Invoice.objects.create(
            number=format_number(issuer, issued_on.year, number),
            document_type=document_type,
            fee_kind=fee_kind,
            issuer=issuer,
            sequence_year=issued_on.year,
            sequence_number=number,
            addressee=addressee,
            application=application,
            licence=licence,
            fee_year=fee_year,
            period_start=period_start,
            corrects=corrects,
            issuer_name=issuer.name,
            issuer_address=issuer.address,
            issuer_registration_number=regno if is_registration_number(regno) else "",
            addressee_name=addressee.name,
            addressee_address=addressee.address,
            issued_on=issued_on,
            transaction_date=transaction_date,
            due_on=due_on,
            schedule_id=schedule_id,
            amounts_include_tax=amounts_include_tax,
            lines=[line.as_json() for line in lines],
            tax_summary=[r.as_json() for r in rates],
            subtotal=sum(r.base for r in rates),
            tax_total=sum(r.tax for r in rates),
            total=sum(r.total for r in rates),
            note=note,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            actor=actor,
            action=(
                "ssmark.fees.credit_note_issued"
                if document_type == DocumentType.CREDIT_NOTE
                else "ssmark.fees.invoice_issued"
            ),
            target=invoice,
            to_state=document_type,
            data={"number": invoice.number, "total": invoice.total, "fee": fee_kind},
        )
        signals.invoice_issued.send(sender=Invoice, invoice=invoice, actor=actor)
    return invoice


def _fee_line(schedule: FeeSchedule, fee_kind: str, suffix: str = "", suffix_en: str = "") -> Line:
    ja, en = DESCRIPTIONS[FeeKind(fee_kind)]
    return Line(
        description=ja + suffix,
        description_en=en + suffix_en,
        quantity=1,
        unit_price=schedule.fee(fee_kind).amount,
        tax_rate=schedule.tax_rate,
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
        submitted = application.submitted_on or local_today()
        schedule = schedule_for(submitted)
        fee = schedule.fee(kind)
        suffix = f"（{application.service_name}）"
        return issue_invoice(
            issuer=application.reception_body,
            addressee=application.organisation,
            fee_kind=kind,
            lines=[_fee_line(schedule, kind, suffix, f" ({application.service_name})")],
            amounts_include_tax=schedule.amounts_include_tax,
            schedule_id=schedule.id,
            transaction_date=submitted,
            due_on=fee.due.due_on(submitted),
            actor=actor,
            application=application,
        )


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
        schedule = schedule_for(start)
        fee = schedule.fee(FeeKind.ANNUAL)
        label = licence.number if licence else application.service_name
        return issue_invoice(
            issuer=application.reception_body,
            addressee=application.organisation,
            fee_kind=FeeKind.ANNUAL,
            lines=[
                _fee_line(schedule, FeeKind.ANNUAL, f"（{label}・第1年度）", f" ({label}, year 1)")
            ],
            amounts_include_tax=schedule.amounts_include_tax,
            schedule_id=schedule.id,
            transaction_date=start,
            due_on=fee.due.due_on(start),
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
    today = today or local_today()
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
        fee = schedule.fee(FeeKind.ANNUAL)
        return issue_invoice(
            issuer=locked.reception_body,
            addressee=locked.organisation,
            fee_kind=FeeKind.ANNUAL,
            lines=[
                _fee_line(
                    schedule,
                    FeeKind.ANNUAL,
                    f"（{locked.number}・第{year}年度）",
                    f" ({locked.number}, year {year})",
                )
            ],
            amounts_include_tax=schedule.amounts_include_tax,
            schedule_id=schedule.id,
            transaction_date=start,
            due_on=fee.due.due_on(start),
            licence=locked,
            application=None,
            fee_year=year,
            period_start=start,
        )


def raise_due_annual_fees(*, today: datetime.date | None = None) -> list[Invoice]:
    """Raise every annual fee that fell due (run daily by `ssmark send_notifications`). Safe to
    run twice and concurrently: each licence year is raised once."""
    today = today or local_today()
    raised = []
    # A first anniversary is at least 365 days after the grant (29 February → 28 February).
    cutoff = today - datetime.timedelta(days=365)
    for licence in Licence.objects.filter(
        status__in=list(VALID_STATUSES), first_granted_on__lte=cutoff
    ).only("pk"):
        invoice = raise_annual_fee_for_year(licence=licence, today=today)
        if invoice is not None:
            raised.append(invoice)
    return raised


# --- payments, corrections -------------------------------------------------------------------


def record_payment(
    *,
    invoice: Invoice,
    received_on: datetime.date,
    amount: int,
    method: str,
    reference: str = "",
    actor: Any,
) -> Payment:
    """Record a (partial) payment. Refuses overpayment: the amount may not exceed what is
    still owed."""
    if not can_manage(actor, invoice):
        raise FeesError(ERROR_NOT_ALLOWED)
    if invoice.is_credit_note:
        raise FeesError(ERROR_CREDIT_NOTE_PAYMENT)
    if amount <= 0:
        raise FeesError(ERROR_AMOUNT_POSITIVE)
    if received_on > local_today():
        raise FeesError(ERROR_FUTURE_PAYMENT)
    with transaction.atomic():
        # Lock the invoice so two clerks recording at once cannot together overpay it.
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        current = balance(invoice)
        if current.outstanding <= 0:
            raise FeesError(ERROR_NOTHING_OWED)
        if amount > current.outstanding:
            raise FeesError(
                ERROR_OVERPAYMENT
                % {"amount": f"{amount:,}", "outstanding": f"{current.outstanding:,}"}
            )
        payment = Payment.objects.create(
            invoice=invoice,
            received_on=received_on,
            amount=amount,
            method=method,
            reference=reference,
            recorded_by=actor,
        )
        after = balance(invoice)
        audit(
            actor=actor,
            action="ssmark.fees.payment_recorded",
            target=invoice,
            from_state=current.status,
            to_state=after.status,
            data={"amount": amount, "received_on": received_on.isoformat(), "method": method},
        )
    return payment


def issue_correction(
    *,
    invoice: Invoice,
    reason: str,
    actor: Any,
    new_amount: int | None = None,
) -> tuple[Invoice, Invoice | None]:
    """Correct an issued invoice: a credit note cancelling it in full (negative, referring to
    it) and, unless `new_amount` is None, a new invoice for `new_amount` (the unit price, as in
    the schedule: tax included or not as the original). Returns (credit note, new invoice)."""
    if not can_manage(actor, invoice):
        raise FeesError(ERROR_NOT_ALLOWED)
    if invoice.is_credit_note:
        raise FeesError(ERROR_CORRECT_CREDIT_NOTE)
    if not reason.strip():
        raise FeesError(ERROR_REASON_REQUIRED)
    if new_amount is not None and new_amount <= 0:
        raise FeesError(ERROR_AMOUNT_POSITIVE)
    with transaction.atomic():
        original = Invoice.objects.select_for_update().get(pk=invoice.pk)
        current = balance(original)
        if current.status == InvoiceStatus.CANCELLED:
            raise FeesError(ERROR_ALREADY_CANCELLED)
        if current.paid > 0:
            raise FeesError(ERROR_HAS_PAYMENTS)
        credit_lines = [
            Line(
                description=line["description"],
                description_en=line["description_en"],
                quantity=line["quantity"],
                unit_price=-line["unit_price"],
                tax_rate=Decimal(line["tax_rate"]),
            )
            for line in original.lines
        ]
        common: dict[str, Any] = {
            "issuer": original.issuer,
            "addressee": original.addressee,
            "fee_kind": original.fee_kind,
            "amounts_include_tax": original.amounts_include_tax,
            "schedule_id": original.schedule_id,
            "transaction_date": original.transaction_date,
            "actor": actor,
            "application": original.application,
            "licence": original.licence,
            "fee_year": original.fee_year,
            "period_start": original.period_start,
            "corrects": original,
            "note": reason.strip(),
        }
        credit = issue_invoice(
            lines=credit_lines, due_on=None, document_type=DocumentType.CREDIT_NOTE, **common
        )
        replacement = None
        if new_amount is not None:
            lines = [
                Line(
                    description=line["description"],
                    description_en=line["description_en"],
                    quantity=1,
                    unit_price=new_amount,
                    tax_rate=Decimal(line["tax_rate"]),
                )
                for line in original.lines[:1]
            ]
            replacement = issue_invoice(lines=lines, due_on=original.due_on, **common)
    return credit, replacement


# --- overdue ---------------------------------------------------------------------------------


def overdue_invoices(*, today: datetime.date | None = None) -> QuerySet[Invoice]:
    return with_balances(
        Invoice.objects.filter(document_type=DocumentType.INVOICE, due_on__isnull=False),
        today=today,
    ).filter(Q(balance_status=InvoiceStatus.OVERDUE))


def detect_overdue(*, today: datetime.date | None = None) -> list[Invoice]:
    """Mark invoices that became overdue, once each, and send `invoice_overdue` for them.
    Safe to run twice and concurrently (one OverdueNotice row per invoice)."""
    today = today or local_today()
    found = []
    for invoice in overdue_invoices(today=today).filter(overdue_notice__isnull=True):
        with transaction.atomic():
            _notice, created = OverdueNotice.objects.get_or_create(
                invoice=invoice, defaults={"detected_on": today}
            )
            if not created:
                continue
            audit(
                actor=None,
                action="ssmark.fees.invoice_overdue",
                target=invoice,
                to_state=InvoiceStatus.OVERDUE,
                data={"due_on": invoice.due_on.isoformat() if invoice.due_on else ""},
            )
            signals.invoice_overdue.send(sender=Invoice, invoice=invoice, actor=None)
        found.append(invoice)
    return found


# --- what an unpaid fee blocks ---------------------------------------------------------------


class BlockedAction(enum.StrEnum):
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
    - start_first_review (application=): first_review_not_started_until_review_fee_paid
    - committee_decision (application=): committee_decision_not_made_until_review_fee_paid
    - issue_licence (application=, a new application): licence_not_issued_until_annual_fee_paid
    - grant_renewal (licence=): renewal_not_granted_while_annual_fee_overdue
    """
    today = today or local_today()
    schedule = schedule_for(today)
    act = BlockedAction(action)
    if act in (BlockedAction.START_FIRST_REVIEW, BlockedAction.COMMITTEE_DECISION):
        if application is None:
            raise ValueError(f"unpaid_blocks({act}) needs application=")
        rule = (
            "first_review_not_started_until_review_fee_paid"
            if act == BlockedAction.START_FIRST_REVIEW
            else "committee_decision_not_made_until_review_fee_paid"
        )
        if not schedule.blocks(application.scheme, rule):
            return []
        invoices = Invoice.objects.filter(application=application, fee_kind__in=REVIEW_KINDS)
        if not invoices.filter(document_type=DocumentType.INVOICE).exists():
            return [UnpaidBlock(rule=rule, message=str(BLOCK_REVIEW_FEE_NOT_INVOICED))]
        return [
            UnpaidBlock(
                rule=rule,
                message=str(BLOCK_REVIEW_FEE_UNPAID % {"number": inv.number}),
                invoice=inv,
            )
            for inv in _open_invoices(invoices, today)
        ]
    if act == BlockedAction.ISSUE_LICENCE:
        if application is None:
            raise ValueError("unpaid_blocks(issue_licence) needs application=")
        rule = "licence_not_issued_until_annual_fee_paid"
        if application.review_type != ReviewType.NEW or not schedule.blocks(
            application.scheme, rule
        ):
            return []
        invoices = Invoice.objects.filter(
            application=application, fee_kind=FeeKind.ANNUAL, fee_year=1
        )
        if not invoices.filter(document_type=DocumentType.INVOICE).exists():
            return [UnpaidBlock(rule=rule, message=str(BLOCK_ANNUAL_FEE_NOT_INVOICED))]
        return [
            UnpaidBlock(
                rule=rule,
                message=str(BLOCK_ANNUAL_FEE_UNPAID % {"number": inv.number}),
                invoice=inv,
            )
            for inv in _open_invoices(invoices, today)
        ]
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


# --- the secretariat's view of unpaid review fees --------------------------------------------


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
