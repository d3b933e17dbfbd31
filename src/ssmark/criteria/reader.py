"""Typed access to an untyped mapping (parsed YAML or stored JSON) with precise errors.

Every failure raises `CriteriaError(source, where, problem)`, so a message always says which
file, which part of it (an item, a rule, ...) and what is wrong.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import NoReturn

from ssmark.criteria.errors import CriteriaError
from ssmark.criteria.model import Text


def describe(value: object) -> str:
    """A short, one-line picture of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> NoReturn:
        raise CriteriaError(self.source, where, problem)

    def mapping(
        self,
        value: object,
        where: str,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> Mapping[str, object]:
        """`value` as a mapping with exactly the allowed keys (all `required` ones present)."""
        if not isinstance(value, Mapping):
            self.fail(where, f"expected a mapping, got {describe(value)}")
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.fail(where, f"unknown key {describe(key)} (allowed: {expected})")
        for key in required:
            if key not in value:
                self.fail(where, f"missing key '{key}'")
        return value

    def sequence(self, value: object, where: str, *, non_empty: bool = True) -> list[object]:
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {describe(value)}")
        if non_empty and not value:
            self.fail(where, "must not be empty")
        return value

    def string(self, data: Mapping[str, object], key: str, where: str) -> str:
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"'{key}' must be a non-empty string, got {describe(value)}")
        return value.strip()

    def code(self, data: Mapping[str, object], key: str, where: str) -> str:
        """A code such as "3" or "1-1-1"; YAML reads a bare 3 as an integer, which is fine."""
        value = data[key]
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return self.string(data, key, where)

    def text(self, data: Mapping[str, object], key: str, where: str) -> Text:
        """`key` (Japanese) with `key_en` (English): both required when the key is present."""
        if key not in data:
            return Text("", "")
        if f"{key}_en" not in data:
            self.fail(where, f"'{key}' has no English rendering '{key}_en'")
        return Text(self.string(data, key, where), self.string(data, f"{key}_en", where))

    def integer(self, data: Mapping[str, object], key: str, where: str, *, minimum: int) -> int:
        value = data[key]
        # bool is an int in Python; `points: true` is a mistake, not 1 point.
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(where, f"'{key}' must be an integer, got {describe(value)}")
        if value < minimum:
            self.fail(where, f"'{key}' must be at least {minimum}, got {value}")
        return value

    def number(self, data: Mapping[str, object], key: str, where: str) -> float:
        value = data[key]
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.fail(where, f"'{key}' must be a number, got {describe(value)}")
        return float(value)

    def boolean(self, data: Mapping[str, object], key: str, where: str) -> bool:
        value = data[key]
        if not isinstance(value, bool):
            self.fail(where, f"'{key}' must be true or false, got {describe(value)}")
        return value

    def date(self, data: Mapping[str, object], key: str, where: str) -> datetime.date:
        value = data[key]
        # YAML gives a date for 2010-03-01; stored JSON gives the ISO string.
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(where, f"'{key}' must be a date (YYYY-MM-DD), got {describe(value)}")
