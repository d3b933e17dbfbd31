"""Proposals of the next session dates from the committee calendar (calendar.yaml)."""

from __future__ import annotations

import datetime

import pytest

from ssmark.committee.calendar import CalendarError, parse_calendar, session_calendar

D = datetime.date


def test_shipped_calendar_is_march_july_november() -> None:
    calendar = session_calendar()
    assert calendar.months == (3, 7, 11)
    assert calendar.default_time == datetime.time(14, 0)
    assert calendar.default_place


def test_reproduces_the_2021_sessions() -> None:
    # SPEC: 2021-07-15, 2021-11-25, 2022-03-24 (2021-07-22 was the moved Marine Day).
    assert session_calendar().proposals_after(D(2021, 6, 1), count=3) == [
        D(2021, 7, 15),
        D(2021, 11, 25),
        D(2022, 3, 24),
    ]


def test_month_edges() -> None:
    calendar = session_calendar()
    # On the proposed day itself, the next proposal is the following session month.
    assert calendar.proposals_after(D(2022, 3, 24), count=1) == [D(2022, 7, 28)]
    # The day before still gets that month.
    assert calendar.proposals_after(D(2022, 3, 23), count=1) == [D(2022, 3, 24)]
    # Inside a session month after its date: the next session month.
    assert calendar.proposals_after(D(2022, 3, 31), count=1) == [D(2022, 7, 28)]
    # Last day of the month before a session month.
    assert calendar.proposals_after(D(2022, 2, 28), count=1) == [D(2022, 3, 24)]


def test_year_wrap() -> None:
    calendar = session_calendar()
    assert calendar.proposals_after(D(2026, 11, 27), count=3) == [
        D(2027, 3, 25),
        D(2027, 7, 22),
        D(2027, 11, 25),
    ]
    assert calendar.proposals_after(D(2026, 12, 31), count=1) == [D(2027, 3, 25)]


def test_annual_holiday_moves_the_proposal_a_week_earlier() -> None:
    # 2023-11-23 (the fourth Thursday) is Labour Thanksgiving Day.
    assert session_calendar().suggested_date(2023, 11) == D(2023, 11, 16)


def test_skips_months_that_already_have_a_session() -> None:
    proposals = session_calendar().proposals_after(D(2027, 1, 10), count=2, skip_months={(2027, 3)})
    assert proposals == [D(2027, 7, 22), D(2027, 11, 25)]


def test_rule_is_data() -> None:
    calendar = parse_calendar(
        {
            "months": [1, 6],
            "suggest": {"weekday": "monday", "week": -1},
            "default_time": "10:30",
            "proposals": 2,
        }
    )
    assert calendar.proposals_after(D(2027, 1, 31)) == [D(2027, 6, 28), D(2028, 1, 31)]
    assert calendar.default_time == datetime.time(10, 30)


@pytest.mark.parametrize(
    "bad",
    [
        {"months": [13], "suggest": {"weekday": "monday", "week": 1}, "default_time": "10:00"},
        {"months": [3], "suggest": {"weekday": "someday", "week": 1}, "default_time": "10:00"},
        {"months": [3], "suggest": {"weekday": "monday", "week": 5}, "default_time": "10:00"},
        {"months": [3], "default_time": "10:00"},
    ],
)
def test_invalid_calendar_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(CalendarError):
        parse_calendar(bad)
