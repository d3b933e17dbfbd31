"""The API's rate limit, counted in the database so it holds across processes and hosts.

`ssmark serve` runs a worker process per core, and several hosts may share one database
(deploy/README.md); a counter in each process's memory (DRF's SimpleRateThrottle on Django's
LocMemCache) would let a token make the limit once per process. So the count lives in one row
per key (`RateWindow`), changed by one statement that is atomic on SQLite and PostgreSQL alike:

    INSERT … ON CONFLICT (key) DO UPDATE SET hits = hits + 1 (or 1 and a new start once the
    window is over) RETURNING hits, started_ms

PostgreSQL runs concurrent upserts of one key one after the other on the row's lock, each on
the row the previous one left; SQLite has one writer at a time. So the k-th request of a window
sees hits = k, whichever process sends it, and no two requests can both take the last slot.
Refused requests are counted too (they only raise the count past the limit; the window still
ends a minute after it opened). Django's DatabaseCache was not used: its get/set (and incr, a
get then a set) are separate statements, which is the race this module exists to close.

The window is fixed: it opens at the key's first request and lasts a minute, so Retry-After is
the time left in it. Times come from `ssmark.core.clock` (hosts sharing a database keep their
clocks in step with NTP; a skew of a second moves a window by a second).
"""

from __future__ import annotations

import datetime
import logging
import math
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction

from ssmark.core import clock

from .models import RateWindow

logger = logging.getLogger(__name__)

WINDOW_MS = 60_000
# Rows of windows that ended longer ago than this are deleted when some window opens; the margin
# covers clock skew between hosts. The table holds about the keys seen in the last two minutes.
KEEP_MS = 2 * WINDOW_MS


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # Seconds until the key's window ends (whole seconds, at least 1): the Retry-After.
    wait: int


# One statement; the same text on SQLite (3.35+) and PostgreSQL. The parameters: key, now,
# and twice the moment at or before which a window that opened is over.
UPSERT = """
INSERT INTO "api_ratewindow" ("key", "started_ms", "hits") VALUES (%s, %s, 1)
ON CONFLICT ("key") DO UPDATE SET
  "hits" = CASE WHEN "api_ratewindow"."started_ms" <= %s THEN 1
                ELSE "api_ratewindow"."hits" + 1 END,
  "started_ms" = CASE WHEN "api_ratewindow"."started_ms" <= %s THEN excluded."started_ms"
                      ELSE "api_ratewindow"."started_ms" END
RETURNING "hits", "started_ms"
"""


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _now_ms() -> int:
    return (clock.now() - _EPOCH) // datetime.timedelta(milliseconds=1)


def hit(key: str, limit: int) -> Verdict:
    """Count one request of `key` in its current window; allowed while within `limit`."""
    now = _now_ms()
    expired = now - WINDOW_MS  # a window that opened at or before this is over
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [key, now, expired, expired])
        hits, started = cursor.fetchone()
    if hits == 1:
        _sweep(now)
    wait = max(1, math.ceil((started + WINDOW_MS - now) / 1000))
    return Verdict(allowed=hits <= limit, wait=wait)


def _sweep(now: int) -> None:
    """Delete rows of windows long over. Concurrent sweeps may wait on each other's rows; one that
    fails (a deadlock between two of them) is left for the next window to do."""
    try:
        with transaction.atomic():
            RateWindow.objects.filter(started_ms__lt=now - KEEP_MS).delete()
    except DatabaseError:
        logger.warning("API rate windows not swept this time", exc_info=True)
