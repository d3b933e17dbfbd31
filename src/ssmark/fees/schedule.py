"""The scheme's fee schedules, read from `schedules.yaml` in this package (data, not code).

`schedule_for(day)` returns the `FeeSchedule` in force on `day`: amounts, due rules, whether the
amounts include consumption tax, the tax rate, annual billing and what an unpaid fee blocks.
A malformed file raises `ScheduleError` naming the key, the first time a schedule is read.

The file may be replaced by pointing the Django setting or environment variable
SSMARK_FEE_SCHEDULE_FILE at another file of the same shape.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from ssmark.core.datafiles import load_yaml
from ssmark.core.periods import period_end

SCHEDULE_FILE = Path(__file__).with_name("schedules.yaml")
SETTING = "SSMARK_FEE_SCHEDULE_FILE"

FEE_KINDS = ("review", "renewal_review", "annual")
DUE_BASES = ("submission", "notice_received", "anniversary", "decision")
BLOCKING_RULES = (
    "submission_not_made_until_review_fee_paid",
    "first_review_not_started_until_review_fee_paid",
    "committee_decision_not_made_until_review_fee_paid",
    "licence_not_issued_until_annual_fee_paid",
    "renewal_not_granted_while_annual_fee_overdue",
)


class ScheduleError(ValueError):
    """The fee schedule file is malformed, or no schedule is in force on a date."""


@dataclass(frozen=True)
class DueRule:
    basis: str
    months: int
    days: int

    def due_on(self, start: datetime.date) -> datetime.date:
        return period_end(start, self.months) + datetime.timedelta(days=self.days)


@dataclass(frozen=True)
class Fee:
    kind: str
    amount: int
    due: DueRule


@dataclass(frozen=True)
class FeeSchedule:
    id: str
    applies_from: datetime.date
    currency: str
    amounts_include_tax: bool
    tax_rate: Decimal  # percent, e.g. Decimal("10")
    fees: Mapping[str, Fee]
    catch_up_days: int
    blocking: Mapping[str, Mapping[str, bool]]

    def fee(self, kind: str) -> Fee:
        try:
            return self.fees[kind]
        except KeyError:
            raise ScheduleError(f"schedule {self.id}: no fee {kind!r}") from None

    def blocks(self, scheme: str, rule: str) -> bool:
        """Whether `rule` (one of BLOCKING_RULES) is on for `scheme` (isp, public_wifi)."""
        if rule not in BLOCKING_RULES:
            raise ScheduleError(f"unknown blocking rule {rule!r}")
        rules = self.blocking.get(scheme) or self.blocking["default"]
        return bool(rules.get(rule, self.blocking["default"][rule]))


def _require(
    mapping: Any, where: str, keys: set[str], optional: frozenset[str] | set[str] = frozenset()
) -> Any:
    if not isinstance(mapping, Mapping):
        raise ScheduleError(f"{where}: a mapping is required")
    unknown = set(mapping) - keys - optional
    if unknown:
        raise ScheduleError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    missing = keys - set(mapping)
    if missing:
        raise ScheduleError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    return mapping


def _int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScheduleError(f"{where}: an integer is required, not {value!r}")
    if value < minimum:
        raise ScheduleError(f"{where}: must be at least {minimum}, not {value}")
    return value


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ScheduleError(f"{where}: true or false is required, not {value!r}")
    return value


def _parse_schedule(data: Any, where: str) -> FeeSchedule:
    _require(
        data,
        where,
        {
            "id",
            "applies_from",
            "currency",
            "amounts_include_tax",
            "tax_rate",
            "fees",
            "annual_billing",
            "blocking",
        },
    )
    if not isinstance(data["applies_from"], datetime.date):
        raise ScheduleError(f"{where}.applies_from: a date (YYYY-MM-DD) is required")
    if data["currency"] != "JPY":
        raise ScheduleError(f"{where}.currency: only JPY is supported")
    rate = data["tax_rate"]
    if isinstance(rate, bool) or not isinstance(rate, int | float | str):
        raise ScheduleError(f"{where}.tax_rate: a number (percent) is required")
    try:
        tax_rate = Decimal(str(rate))
    except ArithmeticError as exc:
        raise ScheduleError(f"{where}.tax_rate: {rate!r} is not a number") from exc
    if not Decimal(0) <= tax_rate < Decimal(100):
        raise ScheduleError(f"{where}.tax_rate: must be a percentage from 0 to 100")
    fees_data = _require(data["fees"], f"{where}.fees", set(FEE_KINDS))
    fees: dict[str, Fee] = {}
    for kind in FEE_KINDS:
        fw = f"{where}.fees.{kind}"
        fee = _require(fees_data[kind], fw, {"amount", "due"})
        due = _require(fee["due"], f"{fw}.due", {"from"}, {"months", "days"})
        if due["from"] not in DUE_BASES:
            raise ScheduleError(f"{fw}.due.from: one of {', '.join(DUE_BASES)}")
        fees[kind] = Fee(
            kind=kind,
            amount=_int(fee["amount"], f"{fw}.amount", minimum=1),
            due=DueRule(
                basis=due["from"],
                months=_int(due.get("months", 0), f"{fw}.due.months"),
                days=_int(due.get("days", 0), f"{fw}.due.days"),
            ),
        )
    billing = _require(data["annual_billing"], f"{where}.annual_billing", {"catch_up_days"})
    blocking_data = data["blocking"]
    if not isinstance(blocking_data, Mapping) or "default" not in blocking_data:
        raise ScheduleError(f"{where}.blocking: a mapping with a `default` entry is required")
    blocking: dict[str, dict[str, bool]] = {}
    for scheme, rules in blocking_data.items():
        bw = f"{where}.blocking.{scheme}"
        required = set(BLOCKING_RULES) if scheme == "default" else set()
        _require(rules, bw, required, set(BLOCKING_RULES))
        blocking[str(scheme)] = {k: _bool(v, f"{bw}.{k}") for k, v in rules.items()}
    return FeeSchedule(
        id=str(data["id"]),
        applies_from=data["applies_from"],
        currency="JPY",
        amounts_include_tax=_bool(data["amounts_include_tax"], f"{where}.amounts_include_tax"),
        tax_rate=tax_rate,
        fees=fees,
        catch_up_days=_int(billing["catch_up_days"], f"{where}.annual_billing.catch_up_days"),
        blocking=blocking,
    )


def parse(data: Any) -> tuple[FeeSchedule, ...]:
    """Validate the parsed YAML document; schedules come back oldest first."""
    _require(data, "file", {"schedules"})
    items = data["schedules"]
    if not isinstance(items, list) or not items:
        raise ScheduleError("schedules: a non-empty list is required")
    schedules = [_parse_schedule(item, f"schedules[{i}]") for i, item in enumerate(items)]
    dates = [s.applies_from for s in schedules]
    if len(set(dates)) != len(dates):
        raise ScheduleError("schedules: two schedules apply from the same date")
    ids = [s.id for s in schedules]
    if len(set(ids)) != len(ids):
        raise ScheduleError("schedules: two schedules have the same id")
    return tuple(sorted(schedules, key=lambda s: s.applies_from))


def schedule_path() -> Path:
    configured = getattr(settings, SETTING, "")
    return Path(configured) if configured else SCHEDULE_FILE


def schedules() -> tuple[FeeSchedule, ...]:
    """The fee schedules, read by the one data-file loader (re-read when the file changes)."""
    return load_yaml(schedule_path(), parse, error=ScheduleError)


def schedule_for(day: datetime.date) -> FeeSchedule:
    """The schedule in force on `day` (the latest one whose `applies_from` is not after it).

    A date before the first schedule gets the first one (events dated in the paper era, e.g.
    imported records, are billed by the oldest schedule the system knows).
    """
    loaded = schedules()
    in_force = [s for s in loaded if s.applies_from <= day]
    return in_force[-1] if in_force else loaded[0]
