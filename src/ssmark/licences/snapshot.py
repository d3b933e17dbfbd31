"""An in-process snapshot of the public licence table, for the public hot paths.

The public data is small (one row per licence ever issued, ~10,000 at most) and read on every
page view of every licensed ISP's site, so each server process keeps all of it in memory and
serves the mark, the verification page and the registry from there, without a query per
request. Freshness: database triggers change `PublicVersion.token` in the same transaction as
any change to a licence, its status changes or an organisation (migration 0005); each process
reads that one row at most every `SSMARK_PUBLIC_CHECK_MS` milliseconds (default 1000, at most
5000) and reloads the whole table when it changed. So a revocation, suspension or lapse is
visible on every process within that time, and validity by date is decided per request
(ssmark.licences.validity), never cached.

Thread-safe: the snapshot is immutable once built and swapped in one assignment; one thread
checks and reloads at a time, the others wait for it (at most once per interval).
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection

from ssmark.core import clock

from . import validity
from .models import Licence, LicenceStatus, StatusChange, make_search_key, normalise

T = TypeVar("T")

# What a snapshot keeps besides its rows, per kind, with a bound on the number of entries
# (the bucket is emptied when full): derived values (a few per day; the default), pages
# (verification and registry pages, ~5-25 KB each: at most ~40 MB per process even when a
# crawler or an attacker asks for every page or query) and the lean path's finished answers
# of the mark and verification page (ssmark.licences.fastpath: headers, and bodies mostly
# kept elsewhere too; ~1-2 KB each, one per address that exists or looks as if it might).
MEMO_LIMITS = {"lists": 64, "pages": 2_000, "answers": 20_000}


@dataclass(frozen=True, slots=True)
class PublicLicence:
    pk: int
    number: str
    serial: int
    status: str
    service_name: str
    scheme: str
    first_granted_on: datetime.date
    valid_from: datetime.date
    valid_until: datetime.date
    updated: datetime.datetime
    company: str
    company_en: str
    criteria: str
    criteria_en: str
    # The day the current status took effect (its last status change), if it has one.
    changed_on: datetime.date | None
    search_key: str
    # The moment of that last status change (the verification page shows its time too).
    changed_at: datetime.datetime | None = None

    def valid(self, today: datetime.date) -> bool:
        return validity.is_valid(self.status, self.valid_until, today)

    def shown_status(self, today: datetime.date) -> str:
        return validity.public_status(self.status, self.valid_until, today)

    def effective_on(self, today: datetime.date) -> datetime.date | None:
        return validity.effective_on(self.status, self.valid_until, self.changed_on, today)


@dataclass
class Snapshot:
    token: int | None
    by_number: dict[str, PublicLicence]
    ordered: tuple[PublicLicence, ...]
    memo: dict[str, dict[Hashable, Any]] = field(
        default_factory=lambda: {bucket: {} for bucket in MEMO_LIMITS}
    )

    def get(self, number: str) -> PublicLicence | None:
        return self.by_number.get(number)

    def remember(self, key: Hashable, make: Callable[[], T], bucket: str = "lists") -> T:
        """`make()` once per snapshot and key (keys carry the day where validity matters)."""
        memo = self.memo[bucket]
        try:
            return memo[key]
        except KeyError:
            pass
        value = make()
        self.keep(key, value, bucket)
        return value

    def keep(self, key: Hashable, value: Any, bucket: str) -> None:
        """Keep `value` under `key` (replacing what was there), within the bucket's bound."""
        memo = self.memo[bucket]
        if len(memo) >= MEMO_LIMITS[bucket] and key not in memo:
            memo.clear()
        memo[key] = value

    def valid_on(self, today: datetime.date) -> tuple[PublicLicence, ...]:
        """The licences valid on `today`, in number (grant) order: the registry."""
        return self.remember(
            ("valid", today), lambda: tuple(lic for lic in self.ordered if lic.valid(today))
        )

    def registry(self, today: datetime.date, q: str = "") -> tuple[PublicLicence, ...]:
        """The registry filtered by `q`: every word must occur in the service or company."""
        words = normalise(q).split()
        rows = self.valid_on(today)
        if not words:
            return rows
        # Not kept: any text can be searched for; the rendered page is kept instead.
        return tuple(r for r in rows if all(w in r.search_key for w in words))


def _read_token() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM licences_publicversion WHERE id = 1")
        row = cursor.fetchone()
    return None if row is None else int(row[0])


CHANGES_SHOWN = [LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.LAPSED]


def load(token: int | None) -> Snapshot:
    rows = Licence.objects.order_by("serial").values_list(
        "pk",
        "number",
        "serial",
        "status",
        "service_name",
        "scheme",
        "first_granted_on",
        "valid_from",
        "valid_until",
        "updated",
        "organisation__name",
        "organisation__name_en",
        "application__criteria_set__title",
        "application__criteria_set__title_en",
    )
    changed: dict[tuple[int, str], datetime.datetime] = {}
    for licence_id, to_status, created in (
        StatusChange.objects.filter(to_status__in=CHANGES_SHOWN, licence__status__in=CHANGES_SHOWN)
        .order_by("created", "id")
        .values_list("licence_id", "to_status", "created")
    ):
        changed[(licence_id, to_status)] = created  # the latest wins
    licences = []
    for (
        pk,
        number,
        serial,
        status,
        service,
        scheme,
        since,
        valid_from,
        valid_until,
        updated,
        company,
        company_en,
        criteria,
        criteria_en,
    ) in rows:
        moment = changed.get((pk, status))
        licences.append(
            PublicLicence(
                pk=pk,
                number=number,
                serial=serial,
                status=status,
                service_name=service,
                scheme=scheme,
                first_granted_on=since,
                valid_from=valid_from,
                valid_until=valid_until,
                updated=updated,
                company=company,
                company_en=company_en or "",
                criteria=criteria or "",
                criteria_en=criteria_en or "",
                changed_on=clock.tokyo_date(moment) if moment else None,
                search_key=make_search_key(service, company, company_en or ""),
                changed_at=moment,
            )
        )
    ordered = tuple(licences)
    snap = Snapshot(token=token, by_number={lic.number: lic for lic in ordered}, ordered=ordered)
    from .demo_notice import prime

    prime(snap)  # whether the demo registry is loaded: read with the table, not per page
    return snap


_lock = threading.Lock()
_current: Snapshot | None = None
_checked_at = float("-inf")


def current() -> Snapshot:
    """The snapshot, checked against the database at most every SSMARK_PUBLIC_CHECK_MS."""
    global _current, _checked_at
    interval = settings.SSMARK_PUBLIC_CHECK_MS / 1000
    snap = _current
    if snap is not None and time.monotonic() - _checked_at < interval:
        return snap
    with _lock:
        snap = _current
        if snap is not None and time.monotonic() - _checked_at < interval:
            return snap
        token = _read_token()
        # A missing token row (a flushed table) cannot vouch for anything: reload each time.
        if snap is None or token is None or token != snap.token:
            snap = load(token)
            _current = snap
        _checked_at = time.monotonic()
        return snap


def reset() -> None:
    """Forget the snapshot (tests; a restored database in a running process)."""
    global _current, _checked_at
    with _lock:
        _current = None
        _checked_at = float("-inf")
