"""The one date rule (Civil Code periods) and the one clock."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from ssmark.core import clock
from ssmark.core.periods import add_months, months_before, period_end

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2026, 4, 15), 1, D(2026, 5, 14)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 24, D(2026, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 28)),
        (D(2026, 3, 1), 24, D(2028, 2, 29)),
        (D(2026, 12, 1), 1, D(2026, 12, 31)),
        (D(2026, 5, 31), 1, D(2026, 6, 30)),
        (D(2026, 7, 1), 0, D(2026, 7, 1)),
    ],
)
def test_period_end_follows_the_civil_code(start: D, months: int, end: D) -> None:
    assert period_end(start, months) == end


def test_negative_period_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        period_end(D(2026, 1, 1), -1)


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(day: D, months: int, result: D) -> None:
    assert add_months(day, months) == result


def test_months_before_is_add_months_backwards() -> None:
    assert months_before(D(2026, 5, 31), 3) == D(2026, 2, 28)


def test_today_is_the_tokyo_day() -> None:
    # 2026-12-03 20:00 UTC is already 2026-12-04 in Tokyo.
    late_utc = datetime.datetime(2026, 12, 3, 20, 0, tzinfo=datetime.UTC)
    assert clock.tokyo_date(late_utc) == D(2026, 12, 4)


def test_frozen_sets_and_restores_today() -> None:
    real = clock.today()
    with clock.frozen(D(2030, 1, 2)):
        assert clock.today() == D(2030, 1, 2)
    assert clock.today() == real


def test_freeze_today_fixture(freeze_today: Callable[[D], None]) -> None:
    freeze_today(D(2027, 2, 28))
    assert clock.today() == D(2027, 2, 28)
