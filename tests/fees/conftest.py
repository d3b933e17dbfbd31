from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TODAY = datetime.date(2026, 4, 10)


@pytest.fixture
def today(
    freeze_today: Callable[[datetime.date], None],
) -> Callable[[datetime.date], None]:
    """`today(date)`: the one clock's date (Asia/Tokyo) for issue and payment dates."""
    freeze_today(TODAY)
    return freeze_today


@pytest.fixture
def schedule_file(settings: object, tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """`schedule_file({...}, {...})` installs a fee schedule file for this test."""
    from tests.fees.factories import write_schedule

    def install(*schedules: dict[str, object]) -> Path:
        path = write_schedule(tmp_path / "schedules.yaml", *schedules)
        settings.SSMARK_FEE_SCHEDULE_FILE = str(path)
        return path

    yield install
