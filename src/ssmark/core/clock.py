"""The one clock. Every "today" and "now" in ssmark comes from here.

The scheme's days are Japanese days: a licence valid until 2026-03-31 is valid until midnight in
Tokyo, wherever the server runs. Tests set the date in one place with `frozen(day)` (or the
`freeze_today` fixture in tests/conftest.py) instead of patching a function per module.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")

_frozen_day: datetime.date | None = None


def now() -> datetime.datetime:
    """The current moment, timezone-aware (UTC inside; show it in Asia/Tokyo)."""
    return datetime.datetime.now(datetime.UTC)


def today() -> datetime.date:
    """Today's date in Asia/Tokyo (or the day a test froze)."""
    if _frozen_day is not None:
        return _frozen_day
    return now().astimezone(TOKYO).date()


def tokyo_date(moment: datetime.datetime) -> datetime.date:
    """The Japanese calendar day of an aware moment."""
    return moment.astimezone(TOKYO).date()


@contextlib.contextmanager
def frozen(day: datetime.date) -> Iterator[datetime.date]:
    """Make `today()` return `day` inside the block (tests and `--today` options)."""
    global _frozen_day
    previous = _frozen_day
    _frozen_day = day
    try:
        yield day
    finally:
        _frozen_day = previous
