from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ssmark.fees import services

TODAY = datetime.date(2026, 4, 10)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    """`today(date)`: the fees app's idea of today (Asia/Tokyo) for issue and payment dates."""

    def set_today(day: datetime.date) -> None:
        monkeypatch.setattr(services, "local_today", lambda: day)

    set_today(TODAY)
    return set_today


@pytest.fixture
def schedule_file(settings: object, tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """`schedule_file({...}, {...})` installs a fee schedule file for this test."""
    from tests.fees.factories import write_schedule

    def install(*schedules: dict[str, object]) -> Path:
        path = write_schedule(tmp_path / "schedules.yaml", *schedules)
        settings.SSMARK_FEE_SCHEDULE_FILE = str(path)  # type: ignore[attr-defined]
        return path

    yield install
