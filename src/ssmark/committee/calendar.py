"""The committee's session calendar, read from `calendar.yaml` (data, not code). ("Schedule"
means the fee schedule; the committee's dates are its calendar.)

The rule for proposing dates: for each configured month, the `week`-th `weekday` of that month
(e.g. the fourth Thursday); a holiday or an unavailable day moves the proposal one week earlier.
`SessionCalendar.proposals_after(day)` gives the next such dates strictly after `day`, one per
configured month, skipping months that already have a session.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ssmark.core.datafiles import load_yaml

WEEKDAYS = {
    name: i
    for i, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
CALENDAR_FILE = "calendar.yaml"


class CalendarError(ValueError):
    """The calendar file is malformed."""


@dataclass(frozen=True)
class SessionCalendar:
    months: tuple[int, ...]
    weekday: int  # 0 = Monday
    week: int  # 1..4, or -1 for the last
    annual_holidays: frozenset[tuple[int, int]]
    unavailable: frozenset[datetime.date]
    default_time: datetime.time
    default_place: str
    default_online: bool
    proposals: int

    def _is_free(self, day: datetime.date) -> bool:
        return (day.month, day.day) not in self.annual_holidays and day not in self.unavailable

    def _nth_weekday(self, year: int, month: int) -> datetime.date:
        last_day = calendar.monthrange(year, month)[1]
        if self.week > 0:
            first = datetime.date(year, month, 1)
            offset = (self.weekday - first.weekday()) % 7
            return first + datetime.timedelta(days=offset + 7 * (self.week - 1))
        last = datetime.date(year, month, last_day)
        return last - datetime.timedelta(days=(last.weekday() - self.weekday) % 7)

    def suggested_date(self, year: int, month: int) -> datetime.date:
        """The proposed session day in `month` of `year` (one of the configured months)."""
        if month not in self.months:
            raise ValueError(f"no session is held in month {month}")
        nominal = self._nth_weekday(year, month)
        week = datetime.timedelta(days=7)
        day = nominal
        while day.month == month and not self._is_free(day):
            day -= week
        if day.month != month:  # every earlier week is taken: look later instead
            day = nominal + week
            while day.month == month and not self._is_free(day):
                day += week
        if day.month != month:
            raise CalendarError(f"no free {year}-{month:02d} day for the configured rule")
        return day

    def proposals_after(
        self,
        after: datetime.date,
        count: int | None = None,
        skip_months: Collection[tuple[int, int]] = (),
    ) -> list[datetime.date]:
        """The next `count` proposed session dates strictly after `after`, one per configured
        month, leaving out the (year, month) pairs in `skip_months` (already scheduled)."""
        wanted = self.proposals if count is None else count
        found: list[datetime.date] = []
        year, month = after.year, after.month
        # Bounded: `wanted` proposals need at most `wanted + len(skip_months) + 1` years.
        for _ in range(12 * (wanted + len(skip_months) + 2)):
            if len(found) >= wanted:
                break
            if month in self.months and (year, month) not in skip_months:
                day = self.suggested_date(year, month)
                if day > after:
                    found.append(day)
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return found

    def previous_before(self, before: datetime.date) -> datetime.date:
        """The latest proposed session date strictly before `before`."""
        year, month = before.year, before.month
        for _ in range(36):
            if month in self.months:
                day = self.suggested_date(year, month)
                if day < before:
                    return day
            month -= 1
            if month < 1:
                year, month = year - 1, 12
        raise CalendarError("no configured session month")


def parse_calendar(data: Mapping[str, Any]) -> SessionCalendar:
    """Validate the mapping read from calendar.yaml and build a SessionCalendar."""
    try:
        months = tuple(int(m) for m in data["months"])
        suggest = data["suggest"]
        weekday_name = str(suggest["weekday"]).lower()
        week = int(suggest["week"])
        hh, mm = (int(part) for part in str(data["default_time"]).split(":"))
        holidays = frozenset(
            (int(s.split("-")[0]), int(s.split("-")[1]))
            for s in (str(h) for h in data.get("annual_holidays") or [])
        )
        unavailable = frozenset(
            datetime.date.fromisoformat(str(d)) for d in data.get("unavailable") or []
        )
        result = SessionCalendar(
            months=tuple(sorted(set(months))),
            weekday=WEEKDAYS[weekday_name],
            week=week,
            annual_holidays=holidays,
            unavailable=unavailable,
            default_time=datetime.time(hh, mm),
            default_place=str(data.get("default_place") or ""),
            default_online=bool(data.get("default_online", False)),
            proposals=int(data.get("proposals", 3)),
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise CalendarError(f"invalid committee calendar: {exc!r}") from exc
    if not result.months or any(not 1 <= m <= 12 for m in result.months):
        raise CalendarError("months must be a non-empty list of 1..12")
    if result.week not in (-1, 1, 2, 3, 4):
        raise CalendarError("suggest.week must be 1..4 or -1 (the last)")
    if result.proposals < 1:
        raise CalendarError("proposals must be at least 1")
    return result


def session_calendar() -> SessionCalendar:
    """The calendar shipped with the package, read by the one data-file loader."""
    return load_yaml(Path(__file__).with_name(CALENDAR_FILE), parse_calendar, error=CalendarError)
