"""scheme.yaml: the shipped values, validation with the key named, month arithmetic."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from ssmark.licences import scheme


def test_shipped_settings():
    conf = scheme.settings()
    assert conf.validity_months == 24
    assert conf.deadline_days_before_expiry == 150
    assert conf.window_opens_days_before_deadline == 90
    assert conf.reminder_days_before_deadline == (60, 30, 7)
    assert conf.mark_cache_seconds == 60
    assert conf.number_digits == 4


BASE = """
licence: {validity_months: 24, number_digits: 4}
renewal: {deadline_days_before_expiry: 150, window_opens_days_before_deadline: 90,
          reminder_days_before_deadline: [30]}
pass_notice: {deemed_received_days: 7}
mark: {cache_seconds: 60}
credential: {lifetime_seconds: 3600}
registry: {page_size: 50}
"""


def _load(text: str, tmp_path: Path, settings: Any) -> scheme.LicenceScheme:
    """`text` read as the scheme file, the way the app reads it (SSMARK_LICENCE_SCHEME_FILE)."""
    path = tmp_path / "scheme.yaml"
    path.write_text(text, encoding="utf-8")
    setattr(settings, scheme.ENV_FILE, str(path))
    return scheme.settings()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("validity_months: 24", "validity_months: 0"),
            "licence.validity_months: must be at least 1",
        ),
        (("validity_months: 24", "validity_months: two"), "licence.validity_months: an integer"),
        (("number_digits: 4", "number_digits: 4, colour: red"), "licence: unknown key(s) colour"),
        (("cache_seconds: 60", ""), "mark: missing key(s) cache_seconds"),
        (("[30]", "[30, 30]"), "duplicate"),
        (("[30]", "[120]"), "before the window opens"),
        (("validity_months: 24", "validity_months: 6"), "window would open before"),
    ],
)
def test_invalid_files_name_the_key(change, message, tmp_path, settings):
    text = BASE.replace(*change)
    with pytest.raises(scheme.SchemeError) as exc:
        _load(text, tmp_path, settings)
    assert message in str(exc.value)


def test_valid_file_and_override(tmp_path, settings):
    conf = _load(BASE, tmp_path, settings)
    assert conf.credential_lifetime_seconds == 3600
    with scheme.override(validity_months=36) as changed:
        assert scheme.settings().validity_months == 36 == changed.validity_months
    assert scheme.settings().validity_months == 24


def test_dates():
    conf = scheme.settings()
    assert conf.valid_until(datetime.date(2026, 1, 10)) == datetime.date(2028, 1, 9)
    assert conf.valid_until(datetime.date(2026, 3, 1)) == datetime.date(2028, 2, 29)
    # The Civil Code rule (one rule for the whole scheme): a period that starts on a day the
    # last month lacks ends on that month's last day; otherwise the day before.
    assert conf.valid_until(datetime.date(2024, 2, 29)) == datetime.date(2026, 2, 28)
    assert conf.valid_until(datetime.date(2024, 2, 28)) == datetime.date(2026, 2, 27)
    assert conf.valid_until(datetime.date(2025, 8, 31)) == datetime.date(2027, 8, 30)
    assert conf.valid_until(datetime.date(2026, 1, 1)) == datetime.date(2027, 12, 31)
    assert conf.renewal_deadline(datetime.date(2028, 1, 9)) == datetime.date(2027, 8, 12)
    assert conf.notice_received_on(datetime.date(2026, 3, 24)) == datetime.date(2026, 3, 31)
