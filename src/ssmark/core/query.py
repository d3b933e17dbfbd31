"""Reading numbers, dates, choices and search text from the query string.

A value that cannot be used is ignored (the default is returned), never a 500: out-of-range
years (`?year=99999`), negative pages, impossible dates, unknown choices, NUL characters
(which PostgreSQL refuses in a query). Every list view reads its parameters through these.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TypeVar

from django.http import HttpRequest

T = TypeVar("T")

# Years a filter may name (dates before or after these cannot be stored anyway).
MIN_YEAR, MAX_YEAR = 1900, 2999
MAX_TEXT = 100


def clean_text(value: object, max_length: int = MAX_TEXT) -> str:
    """Any submitted text made safe to filter on: NULs removed, trimmed, bounded."""
    return str(value or "").replace("\x00", "").strip()[:max_length]


def _raw(request: HttpRequest, name: str) -> str:
    return clean_text(request.GET.get(name, ""), 10_000)


def int_param(
    request: HttpRequest,
    name: str,
    default: T,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | T:
    raw = _raw(request, name)
    if not raw or len(raw) > 18 or not raw.lstrip("-").isdigit():
        return default
    value = int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return default
    return value


def year_param(request: HttpRequest, name: str, default: T) -> int | T:
    return int_param(request, name, default, minimum=MIN_YEAR, maximum=MAX_YEAR)


def date_param(request: HttpRequest, name: str, default: T) -> datetime.date | T:
    raw = _raw(request, name)
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return default
    return day if MIN_YEAR <= day.year <= MAX_YEAR else default


def choice_param(request: HttpRequest, name: str, choices: Iterable[str], default: str = "") -> str:
    raw = _raw(request, name)
    return raw if raw in set(choices) else default


def text_param(request: HttpRequest, name: str, max_length: int = MAX_TEXT) -> str:
    """Search text: NULs removed, trimmed, at most `max_length` characters."""
    return _raw(request, name)[:max_length]


def page_param(request: HttpRequest, name: str = "page") -> int:
    """A page number for Paginator.get_page (junk or out-of-range gives page 1 or the last)."""
    return int(int_param(request, name, 1, minimum=1))
