"""Month arithmetic, one rule for the whole scheme. Pure: imports nothing from Django.

Periods follow the Civil Code (民法 art. 143): a period of N months counted from a day, that day
included (起算日を含む), ends on the day before the corresponding day of the last month, or on
that month's last day when the month has no corresponding day.

    period_end(2026-04-15, 1)  -> 2026-05-14
    period_end(2026-01-31, 1)  -> 2026-02-28
    period_end(2024-02-29, 24) -> 2026-02-28
"""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later (earlier when negative), clamped to the month's end.

    add_months(2026-01-31, 1) -> 2026-02-28; add_months(2024-02-29, -12) -> 2023-02-28.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(day.day, last))


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` earlier, clamped to the month's end."""
    return add_months(day, -months)


def period_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of `months` months that starts on (and includes) `start`."""
    if months < 0:
        raise ValueError("a period cannot have a negative length")
    if months == 0:
        return start
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    if start.day > last:
        return datetime.date(year, month0 + 1, last)
    return datetime.date(year, month0 + 1, start.day) - datetime.timedelta(days=1)


def days_after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)
