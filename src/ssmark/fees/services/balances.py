"""What is paid, credited and still owed on an invoice, and its status (paid, overdue, …)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ..models import DocumentType, Invoice, InvoiceStatus, Payment
from . import clock


def with_balances(
    qs: QuerySet[Invoice], *, today: datetime.date | None = None
) -> QuerySet[Invoice]:
    """Annotate paid_total, credited_total (≤ 0), amount_due, outstanding and balance_status.

    Overdue: the due date has passed (in Asia/Tokyo) and the invoice is not fully paid; an
    invoice due 2026-05-31 is overdue from 2026-06-01.
    """
    today = today or clock.today()
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
