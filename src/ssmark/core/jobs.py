"""Scheduled jobs record their runs; /healthz reports them and names an overdue one.

A job wraps its work in `record_run("lapse-licences")`: the start, and then the success or
the failure (with its error), are written to `JobRun` in their own small transactions, so a
failed run never erases the last success. A job is overdue when its last success (or, before
the first one, the moment tracking started) is older than `SSMARK_JOB_MAX_AGE_HOURS[name]`.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from . import clock
from .models import JobRun


@contextlib.contextmanager
def record_run(name: str) -> Iterator[None]:
    started = clock.now()
    JobRun.objects.update_or_create(name=name, defaults={"last_started": started})
    try:
        yield
    except BaseException as exc:
        JobRun.objects.filter(name=name).update(
            last_failure=clock.now(), last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    JobRun.objects.filter(name=name).update(last_success=clock.now(), last_error="")


@dataclass(frozen=True)
class JobHealth:
    name: str
    last_success: datetime.datetime | None
    last_failure: datetime.datetime | None
    max_age_hours: int
    overdue: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "last_success": self.last_success.isoformat(timespec="seconds")
            if self.last_success
            else None,
            "last_failure": self.last_failure.isoformat(timespec="seconds")
            if self.last_failure
            else None,
            "max_age_hours": self.max_age_hours,
            "overdue": self.overdue,
        }


def job_health(now: datetime.datetime | None = None) -> list[JobHealth]:
    """Every watched job (SSMARK_JOB_MAX_AGE_HOURS) with its last runs and whether it is
    overdue. A watched job with no row (a flushed table, a job added to the setting after the
    migration that seeded the rows) starts being tracked now, so a cron that was never set up
    is caught too once its limit has passed."""
    now = now or clock.now()
    rows = {row.name: row for row in JobRun.objects.all()}
    for name in settings.SSMARK_JOB_MAX_AGE_HOURS.keys() - rows.keys():
        rows[name] = JobRun.objects.get_or_create(name=name)[0]
    out = []
    for name, hours in settings.SSMARK_JOB_MAX_AGE_HOURS.items():
        row = rows[name]
        since = row.last_success or row.tracked_since
        overdue = now - since > datetime.timedelta(hours=hours)
        out.append(
            JobHealth(
                name=name,
                last_success=row.last_success,
                last_failure=row.last_failure,
                max_age_hours=hours,
                overdue=overdue,
            )
        )
    return out
