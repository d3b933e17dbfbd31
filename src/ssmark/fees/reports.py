"""The fees dashboard's figures: issued, paid, outstanding and overdue, by body and by month."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import DocumentType, Invoice, InvoiceStatus


@dataclass
class Totals:
    issued_count: int = 0
    issued_amount: int = 0  # invoices' totals, before credit notes
    credited: int = 0  # cancelled by credit notes (positive)
    paid: int = 0
    outstanding: int = 0
    overdue_count: int = 0
    overdue_amount: int = 0

    def add(self, invoice: Invoice) -> None:
        self.issued_count += 1
        self.issued_amount += invoice.total
        self.credited += -invoice.credited_total  # type: ignore[attr-defined]
        self.paid += invoice.paid_total  # type: ignore[attr-defined]
        self.outstanding += max(invoice.outstanding, 0)  # type: ignore[attr-defined]
        if invoice.balance_status == InvoiceStatus.OVERDUE:  # type: ignore[attr-defined]
            self.overdue_count += 1
            self.overdue_amount += invoice.outstanding  # type: ignore[attr-defined]


@dataclass
class Report:
    total: Totals = field(default_factory=Totals)
    by_body: dict[str, Totals] = field(default_factory=dict)
    by_month: dict[str, Totals] = field(default_factory=dict)
    by_month_and_body: dict[tuple[str, str], Totals] = field(default_factory=dict)


def month_key(day: datetime.date) -> str:
    return f"{day.year}-{day.month:02d}"


def summarise(invoices: Iterable[Invoice]) -> Report:
    """`invoices` annotated by `services.with_balances`; credit notes count in their original."""
    report = Report()
    for invoice in invoices:
        if invoice.document_type != DocumentType.INVOICE:
            continue
        body = invoice.issuer.code or invoice.issuer.name
        month = month_key(invoice.issued_on)
        report.total.add(invoice)
        report.by_body.setdefault(body, Totals()).add(invoice)
        report.by_month.setdefault(month, Totals()).add(invoice)
        report.by_month_and_body.setdefault((month, body), Totals()).add(invoice)
    report.by_body = dict(sorted(report.by_body.items()))
    report.by_month = dict(sorted(report.by_month.items()))
    report.by_month_and_body = dict(sorted(report.by_month_and_body.items()))
    return report
