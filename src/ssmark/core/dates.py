"""Dates written the Japanese way, for pages and documents alike (no reportlab import, so the
public verification page can use it without loading the PDF machinery)."""

from __future__ import annotations

import datetime

WEEKDAYS_JA = "月火水木金土日"


def ja_date(day: datetime.date, *, weekday: bool = False) -> str:
    """2026年11月28日, or with `weekday` 2026年11月28日（土）."""
    text = f"{day.year}年{day.month}月{day.day}日"
    return f"{text}（{WEEKDAYS_JA[day.weekday()]}）" if weekday else text
