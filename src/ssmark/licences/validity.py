"""The one rule for public validity: status AND dates, decided at the moment of the request.

A licence is valid on a day when its status is one of VALID_STATUSES and the day is not after
its `valid_until` (a Japanese day: ssmark.core.clock). Past `valid_until` it is not valid,
whatever the daily `lapse-licences` job has or has not done, so a stopped cron fails closed.
Every public surface (mark, verification page, registry page/CSV/JSON, credential, status
list) and `Licence.is_valid` use this module.

`valid_from` is deliberately not checked: a renewal approved early moves `valid_from` to the
start of the next period while the current one still runs (services.issue._renew).
"""

from __future__ import annotations

import datetime

from ssmark.core import clock

from .models import VALID_STATUSES, LicenceStatus


def is_valid(status: str, valid_until: datetime.date, today: datetime.date | None = None) -> bool:
    """Valid on `today` (default: today in Asia/Tokyo)."""
    if today is None:
        today = clock.today()
    return status in VALID_STATUSES and today <= valid_until


def public_status(status: str, valid_until: datetime.date, today: datetime.date) -> str:
    """The status the public sees on `today`: a licence the daily job should have lapsed
    (valid or suspended, period ended) shows as lapsed; a revoked one stays revoked."""
    if valid_until < today and status in (*VALID_STATUSES, LicenceStatus.SUSPENDED):
        return LicenceStatus.LAPSED
    return status


def effective_on(
    status: str,
    valid_until: datetime.date,
    changed_on: datetime.date | None,
    today: datetime.date,
) -> datetime.date | None:
    """The day the public status took effect, for a licence that is not valid: the day of the
    suspension, revocation or recorded lapse, or the day after `valid_until` for a lapse the
    daily job has not recorded yet. None for a valid licence."""
    shown = public_status(status, valid_until, today)
    if shown in VALID_STATUSES:
        return None
    if shown != status:  # lapsed by date, not (yet) by the job
        return valid_until + datetime.timedelta(days=1)
    return changed_on


def last_valid_moment(valid_until: datetime.date) -> datetime.datetime:
    """The end of the last valid day: midnight in Tokyo after `valid_until` (aware)."""
    end = datetime.datetime.combine(valid_until + datetime.timedelta(days=1), datetime.time())
    return end.replace(tzinfo=clock.TOKYO)
