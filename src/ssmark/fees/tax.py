"""Consumption tax on an invoice, the way the qualified-invoice rules require it.

Tax is computed once per invoice per tax rate, on the sum of that rate's lines, and rounded
once (truncated towards zero, 切り捨て), never per line. Amounts are whole yen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal


@dataclass(frozen=True)
class Line:
    description: str
    description_en: str
    quantity: int
    unit_price: int  # as in the schedule: including or excluding tax
    tax_rate: Decimal  # percent

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    def as_json(self) -> dict[str, object]:
        return {
            "description": self.description,
            "description_en": self.description_en,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "amount": self.amount,
            "tax_rate": str(self.tax_rate),
        }


@dataclass(frozen=True)
class RateTotal:
    rate: Decimal
    base: int  # excluding tax
    tax: int
    total: int  # including tax

    def as_json(self) -> dict[str, object]:
        return {"rate": str(self.rate), "base": self.base, "tax": self.tax, "total": self.total}


def _truncate(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_DOWN))


def totals_per_rate(lines: Iterable[Line], *, amounts_include_tax: bool) -> list[RateTotal]:
    """One RateTotal per tax rate, highest rate first; tax rounded once per rate."""
    sums: dict[Decimal, int] = {}
    for line in lines:
        sums[line.tax_rate] = sums.get(line.tax_rate, 0) + line.amount
    result = []
    for rate in sorted(sums, reverse=True):
        amount = sums[rate]
        if amounts_include_tax:
            tax = _truncate(Decimal(amount) * rate / (Decimal(100) + rate))
            result.append(RateTotal(rate=rate, base=amount - tax, tax=tax, total=amount))
        else:
            tax = _truncate(Decimal(amount) * rate / Decimal(100))
            result.append(RateTotal(rate=rate, base=amount, tax=tax, total=amount + tax))
    return result
