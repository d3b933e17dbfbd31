"""The scheme's licence settings, read from `scheme.yaml` in this package (data, not code).

`settings()` returns the validated, immutable `LicenceScheme`; every number the licences app
uses (validity, renewal deadline and window, reminders, the pass notice's deemed-received
delay, cache and credential lifetimes, page size) comes from it. A malformed file raises
`SchemeError` naming the key, the first time the settings are read.

The environment variable SSMARK_LICENCE_SCHEME_FILE may point to another file of the same
shape (an installation that changes the validity period need not edit the package).

`recent_settings()` is the same for the public hot paths, which read the mark's cache lifetime
on every request: it looks at the file at most once every RECHECK_SECONDS, so an edited file
takes effect there within a second (everywhere else on the next call).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ssmark.core.datafiles import load_yaml
from ssmark.core.periods import period_end
from ssmark.core.settingsobject import settings_object

SCHEME_FILE = "scheme.yaml"
ENV_FILE = "SSMARK_LICENCE_SCHEME_FILE"


class SchemeError(ValueError):
    """The licence scheme settings file is malformed."""


@dataclass(frozen=True)
class LicenceScheme:
    validity_months: int
    number_digits: int
    deadline_days_before_expiry: int
    window_opens_days_before_deadline: int
    reminder_days_before_deadline: tuple[int, ...]
    deemed_received_days: int
    mark_cache_seconds: int
    credential_lifetime_seconds: int
    registry_page_size: int

    # --- dates derived from the settings ------------------------------------------------------

    def valid_until(self, valid_from: datetime.date) -> datetime.date:
        """The last day of a validity period starting on `valid_from` (inclusive), by the Civil
        Code rule (ssmark.core.periods.period_end): 2024-02-29 + 24 months → 2026-02-28."""
        return period_end(valid_from, self.validity_months)

    def renewal_deadline(self, valid_until: datetime.date) -> datetime.date:
        """The last day a renewal may be applied for, for a licence valid until `valid_until`."""
        return valid_until - datetime.timedelta(days=self.deadline_days_before_expiry)

    def renewal_window_opens(self, valid_until: datetime.date) -> datetime.date:
        return self.renewal_deadline(valid_until) - datetime.timedelta(
            days=self.window_opens_days_before_deadline
        )

    def notice_received_on(self, notice_date: datetime.date) -> datetime.date:
        return notice_date + datetime.timedelta(days=self.deemed_received_days)


def _section(data: Mapping[str, Any], name: str, keys: set[str]) -> Mapping[str, Any]:
    section = data.get(name)
    if not isinstance(section, Mapping):
        raise SchemeError(f"{name}: a mapping is required")
    unknown = set(section) - keys
    if unknown:
        raise SchemeError(f"{name}: unknown key(s) {', '.join(sorted(unknown))}")
    missing = keys - set(section)
    if missing:
        raise SchemeError(f"{name}: missing key(s) {', '.join(sorted(missing))}")
    return section


def _int(section: Mapping[str, Any], where: str, key: str, minimum: int) -> int:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise SchemeError(f"{where}.{key}: an integer is required, not {value!r}")
    if value < minimum:
        raise SchemeError(f"{where}.{key}: must be at least {minimum}, not {value}")
    return value


def parse(data: Any) -> LicenceScheme:
    """Validate the parsed YAML document and build the settings."""
    if not isinstance(data, Mapping):
        raise SchemeError("the licence scheme file must be a mapping")
    sections = {"licence", "renewal", "pass_notice", "mark", "credential", "registry"}
    unknown = set(data) - sections
    if unknown:
        raise SchemeError(f"unknown section(s) {', '.join(sorted(unknown))}")
    lic = _section(data, "licence", {"validity_months", "number_digits"})
    ren = _section(
        data,
        "renewal",
        {
            "deadline_days_before_expiry",
            "window_opens_days_before_deadline",
            "reminder_days_before_deadline",
        },
    )
    notice = _section(data, "pass_notice", {"deemed_received_days"})
    mark = _section(data, "mark", {"cache_seconds"})
    cred = _section(data, "credential", {"lifetime_seconds"})
    reg = _section(data, "registry", {"page_size"})

    reminders = ren["reminder_days_before_deadline"]
    if not isinstance(reminders, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in reminders
    ):
        raise SchemeError(
            "renewal.reminder_days_before_deadline: a list of positive integers is required"
        )
    if len(set(reminders)) != len(reminders):
        raise SchemeError("renewal.reminder_days_before_deadline: duplicate values")
    scheme = LicenceScheme(
        validity_months=_int(lic, "licence", "validity_months", 1),
        number_digits=_int(lic, "licence", "number_digits", 1),
        deadline_days_before_expiry=_int(ren, "renewal", "deadline_days_before_expiry", 0),
        window_opens_days_before_deadline=_int(
            ren, "renewal", "window_opens_days_before_deadline", 0
        ),
        reminder_days_before_deadline=tuple(sorted(reminders, reverse=True)),
        deemed_received_days=_int(notice, "pass_notice", "deemed_received_days", 0),
        mark_cache_seconds=_int(mark, "mark", "cache_seconds", 0),
        credential_lifetime_seconds=_int(cred, "credential", "lifetime_seconds", 60),
        registry_page_size=_int(reg, "registry", "page_size", 1),
    )
    total = scheme.deadline_days_before_expiry + scheme.window_opens_days_before_deadline
    if total >= scheme.validity_months * 28:
        raise SchemeError(
            "renewal: the window would open before the licence starts "
            f"({total} days before expiry, validity {scheme.validity_months} months)"
        )
    if any(d > scheme.window_opens_days_before_deadline for d in reminders):
        raise SchemeError(
            "renewal.reminder_days_before_deadline: a reminder falls before the window opens"
        )
    return scheme


_SHIPPED_FILE = Path(__file__).with_name(SCHEME_FILE)
_current: LicenceScheme | None = None  # set only by `override` (tests)


def scheme_path() -> Path:
    from django.conf import settings as django_settings

    path = str(getattr(django_settings, ENV_FILE, "") or "").strip()
    return Path(path) if path else _SHIPPED_FILE


def settings() -> LicenceScheme:
    """The scheme's licence settings, read by the one data-file loader (re-read when the file
    changes)."""
    if _current is not None:
        return _current
    return load_yaml(scheme_path(), parse, error=SchemeError)


# How long `recent_settings()` trusts what it last read before it looks at the file again.
RECHECK_SECONDS = 1.0
# (Django's settings object, monotonic time of the read, settings) of the last read.
_recent: tuple[Any, float, LicenceScheme] | None = None


def recent_settings() -> LicenceScheme:
    """`settings()` as read at most RECHECK_SECONDS ago (the public hot paths: one stat() of the
    file costs more than the rest of a mark's answer). Read again at once when Django's settings
    object is another one (override_settings may point SSMARK_LICENCE_SCHEME_FILE elsewhere)
    and never cached over `override` (tests). An unchanged file gives the same object each
    time (load_yaml keeps it), which the fast path's memo relies on to stay valid."""
    global _recent
    if _current is not None:
        return _current
    wrapped = settings_object()
    now = time.monotonic()
    recent = _recent
    if recent is not None and recent[0] is wrapped and now - recent[1] < RECHECK_SECONDS:
        return recent[2]
    conf = settings()
    _recent = (wrapped, now, conf)
    return conf


@contextmanager
def override(**changes: Any) -> Iterator[LicenceScheme]:
    """Temporarily replace some settings (tests): `with override(validity_months=12): ...`."""
    global _current
    previous = _current  # None (the file) unless already overridden
    _current = replace(settings(), **changes)
    try:
        yield _current
    finally:
        _current = previous
