"""Timestamps as scanners write them, turned into timezone-aware datetimes.

Times that carry an offset or a `Z` (OpenVAS, Nuclei, Qualys, Tenable.io) and Unix
epochs (Nessus `HOST_*_TIMESTAMP`, nmap `start`) are exact. Times written without a
zone (Nessus `HOST_START`, Nexpose `startTime`, OpenVAS 8 ctime strings) are read in the
caller's `naive_tz`, by default Japan Standard Time: the applicants are Japanese ISPs,
whose scanners run on local time, and the submission date is a Japanese calendar date.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

SCHEME_TZ = timezone(timedelta(hours=9), "JST")

_CTIME_FORMATS = (
    "%a %b %d %H:%M:%S %Y",  # Nessus HOST_START "Mon Jun 29 14:37:25 2020", OpenVAS 8
    "%a %b  %d %H:%M:%S %Y",
    "%b %d, %Y %H:%M:%S",  # Tenable.sc "Feb 9, 2024 10:48:42" (zone handled below)
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d",
)
_NEXPOSE = re.compile(r"^(\d{8})T(\d{6})(\d{0,6})$")
_EPOCH = re.compile(r"^\d{9,11}(?:\.\d+)?$")
_TRAILING_ZONE = re.compile(r"\s+(UTC|GMT|Z)$", re.IGNORECASE)
_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def from_epoch(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    text = raw.strip()
    if not _EPOCH.match(text):
        return None
    return _sane(datetime.fromtimestamp(float(text), tz=UTC))


def parse_time(raw: str | None, naive_tz: tzinfo = SCHEME_TZ) -> datetime | None:
    """Any of the scanners' time formats, or None when the text is not a time."""
    if raw is None:
        return None
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    if _EPOCH.match(text):
        return from_epoch(text)
    match = _NEXPOSE.match(text)
    if match:
        micro = (match.group(3) + "000000")[:6]
        try:
            naive = datetime.strptime(match.group(1) + match.group(2) + micro, "%Y%m%d%H%M%S%f")
        except ValueError:
            return None
        return _sane(naive.replace(tzinfo=naive_tz))
    iso = _parse_iso(text)
    if iso is not None:
        return _sane(iso if iso.tzinfo else iso.replace(tzinfo=naive_tz))
    zone: tzinfo = naive_tz
    zone_match = _TRAILING_ZONE.search(text)
    if zone_match:
        text = text[: zone_match.start()]
        zone = UTC
    for fmt in _CTIME_FORMATS:
        try:
            naive = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return _sane(naive.replace(tzinfo=zone))
    return None


def _parse_iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d\d-\d\d \d", text) else text
    # Python accepts at most 6 fractional digits; Nuclei writes nanoseconds.
    candidate = re.sub(r"(\.\d{6})\d+", r"\1", candidate)
    if candidate.endswith(("z", "Z")):
        candidate = candidate[:-1] + "+00:00"
    if not re.match(r"^\d{4}-\d\d-\d\dT\d", candidate):
        return None
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _sane(value: datetime) -> datetime | None:
    # A scanner clock of 1970 or 2200 is a broken field, not a scan date.
    return value if _EARLIEST <= value <= _LATEST else None


def earliest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def latest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None
