"""Item 2-1-1: the gate over an application's scan reports, stored, and its findings listed
page by page.

`refresh(application)` runs when reports, host roles or written opinions (意見書) change: it
decides which findings are current (a newer report of a host supersedes an older one),
mirrors the opinions onto the findings and stores the counts in ScanGateResult. Pages call
`scan_gate()`, which reads that row plus the reports' dates (freshness depends on the day)
and never touches the findings; `list_findings()` is one indexed page of them. The
thresholds (fail_at, statement_at, max_age_months, v3/v4 fallback) are the criteria set's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ssmark import scans
from ssmark.catalog.services import get_criteria_set
from ssmark.core import clock
from ssmark.scans.gate import freshness

from .models import (
    Application,
    FindingStatement,
    HostRole,
    ScanBand,
    ScanFinding,
    ScanGateResult,
    ScanHost,
    ScanReport,
    ScanState,
)

GATE_NO_REPORT = "no_report"
GATE_PENDING = "pending"
GATE_BLOCKING = "blocking"
GATE_NEEDS_STATEMENT = "needs_statement"
GATE_NO_V2 = "no_v2"
GATE_ROLES_MISSING = "roles_missing"
GATE_STALE = "stale"
GATE_OK = "ok"

GATE_LABELS: Mapping[str, Any] = {
    GATE_NO_REPORT: _("no scan report uploaded"),
    GATE_PENDING: _("a scan report is still being read"),
    GATE_BLOCKING: _("a finding with a CVSS base score at or above the blocking level is present"),
    GATE_NEEDS_STATEMENT: _(
        "warning-level findings still need the written opinion of the responsible manager"
    ),
    GATE_NO_V2: _(
        "the report states no CVSS v2 base score and this criteria set does not allow v3/v4"
    ),
    GATE_ROLES_MISSING: _("not every required server role is covered by a scanned host"),
    GATE_STALE: _("the diagnosis is older than allowed before the application date"),
    GATE_OK: _("the diagnosis passes"),
}
# Gate states that stop item 2-1-1 being claimed met (and the application being submitted).
BLOCKING_STATES = frozenset(
    {GATE_NO_REPORT, GATE_PENDING, GATE_BLOCKING, GATE_STALE, GATE_NO_V2, GATE_NEEDS_STATEMENT}
)

STALE_TEXT: Mapping[str, Any] = {
    scans.gate.STALE_NO_END: _("the report states no scan end time"),
    scans.gate.STALE_AFTER: _("finished after the application date"),
    scans.gate.STALE_BEFORE: _("finished before %(earliest)s"),
}

# Status filter of the findings list.
STATUS_OPINION_MISSING = "opinion_missing"
STATUS_OPINION_GIVEN = "opinion_given"
STATUS_SUPERSEDED = "superseded"
STATUS_CHOICES = (
    (STATUS_OPINION_MISSING, _("written opinion missing")),
    (STATUS_OPINION_GIVEN, _("written opinion given")),
    (STATUS_SUPERSEDED, _("superseded by a newer report")),
)


def thresholds_for(application: Application) -> scans.Thresholds:
    return scans.Thresholds.of(get_criteria_set(application.criteria_set))


def condition_1_text(application: Application) -> str:
    """The seed's condition 1 of the diagnosis (CVSS v2 support and base scores stated), in
    the current language, from the criteria set."""
    from django.utils.translation import get_language

    cs = get_criteria_set(application.criteria_set)
    if cs.diagnosis is None or not cs.diagnosis.conditions:
        return ""
    return cs.diagnosis.conditions[0].text.get(get_language() or "ja")


class Counted:
    """A count the gate stored, that a template can take `|length` of; iterating it reads
    the first rows only (pages that list findings use `list_findings`)."""

    def __init__(self, count: int, rows: QuerySet[ScanFinding] | None, limit: int = 100) -> None:
        self.count = count
        self._rows = rows
        self._limit = limit

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0

    def __iter__(self) -> Iterator[ScanFinding]:
        if self._rows is None or not self.count:
            return iter(())
        return iter(list(self._rows[: self._limit]))


@dataclass
class ScanGate:
    """The 2-1-1 verdict as the pages show it (read from the stored result)."""

    state: str
    thresholds: scans.Thresholds | None = None
    blocking_count: int = 0
    needs_statement_count: int = 0
    statements_missing_count: int = 0
    without_v2: int = 0
    fresh: bool = False
    stale_reports: list[str] = field(default_factory=list)
    roles_missing: list[str] = field(default_factory=list)
    reference_date: datetime.date | None = None
    report_count: int = 0
    pending_count: int = 0
    failed_count: int = 0
    earliest_date: datetime.date | None = None
    application: Application | None = None

    @property
    def blocks_claim(self) -> bool:
        """May the item not be claimed met? (And may the application not be submitted.)"""
        return self.state in BLOCKING_STATES or self.blocking_count > 0

    @property
    def reason(self) -> str:
        return str(GATE_LABELS.get(self.state, self.state))

    def _rows(self, **filters: Any) -> QuerySet[ScanFinding] | None:
        if self.application is None:
            return None
        return ScanFinding.objects.filter(
            application=self.application, report__state=ScanState.DONE, current=True, **filters
        ).order_by(*ORDER)

    @property
    def blocking(self) -> Counted:
        return Counted(self.blocking_count, self._rows(band=ScanBand.FAIL))

    @property
    def needs_statement(self) -> Counted:
        return Counted(self.needs_statement_count, self._rows(band=ScanBand.STATEMENT))

    @property
    def statements_missing(self) -> Counted:
        rows = self._rows(band=ScanBand.STATEMENT, has_opinion=False)
        return Counted(self.statements_missing_count, rows)

    @property
    def roles_missing_labels(self) -> list[str]:
        return [role_label(r) for r in self.roles_missing]

    @property
    def fallback_allowed(self) -> bool:
        return self.thresholds.fallback_allowed if self.thresholds else True


def role_label(role: str) -> str:
    return str(HostRole(role).label) if role in HostRole.values else role


def reference_date(application: Application, today: datetime.date | None = None) -> datetime.date:
    """The day the application's evidence is judged for: its submission date once submitted,
    today (Asia/Tokyo) while the applicant may still edit it."""
    from .states import EDITABLE_STATES

    if application.status in EDITABLE_STATES or application.submitted_on is None:
        return today or clock.today()
    return application.submitted_on


def scan_gate(application: Application, today: datetime.date | None = None) -> ScanGate:
    """The 2-1-1 gate: the stored counts, plus freshness against the reference date (the
    submission date once submitted, today in Asia/Tokyo before). Memoised on the instance."""
    reference = reference_date(application, today)
    cache: dict[datetime.date, ScanGate] = application.__dict__.setdefault("_scan_gate", {})
    if reference in cache:
        return cache[reference]
    reports = list(
        ScanReport.objects.filter(application=application).only(
            "pk", "state", "scanned_on", "original_name"
        )
    )
    done = [r for r in reports if r.state == ScanState.DONE]
    pending = sum(1 for r in reports if r.state in (ScanState.QUEUED, ScanState.RUNNING))
    failed = sum(1 for r in reports if r.state == ScanState.FAILED)
    gate = ScanGate(
        state=GATE_OK,
        reference_date=reference,
        report_count=len(done),
        pending_count=pending,
        failed_count=failed,
        application=application,
    )
    if pending:
        gate.state = GATE_PENDING
    if not done:
        gate.state = GATE_PENDING if pending else GATE_NO_REPORT
        cache[reference] = gate
        return gate
    thresholds = thresholds_for(application)
    gate.thresholds = thresholds
    result = ScanGateResult.objects.filter(application=application).first()
    if result is None or (result.fail_at, result.statement_at) != (
        thresholds.fail_at,
        thresholds.statement_at,
    ):
        result = refresh(application)
    earliest = scans.earliest_fresh_date(reference, thresholds.max_age_months)
    gate.earliest_date = earliest
    stale = []
    for r in done:
        code = freshness(r.scanned_on, reference, earliest)
        if code:
            text = STALE_TEXT[code] % {"earliest": earliest.isoformat()}
            stale.append(f"{r.original_name}: {text}")
    gate.fresh = not stale
    gate.stale_reports = stale
    gate.blocking_count = result.blocking
    gate.needs_statement_count = result.needs_opinion
    gate.statements_missing_count = result.opinion_missing
    gate.without_v2 = result.without_v2
    gate.roles_missing = list(result.roles_missing)
    if gate.state != GATE_PENDING:
        if gate.blocking_count:
            gate.state = GATE_BLOCKING
        elif not gate.fresh:
            gate.state = GATE_STALE
        elif gate.without_v2 and not thresholds.fallback_allowed:
            gate.state = GATE_NO_V2
        elif gate.statements_missing_count:
            gate.state = GATE_NEEDS_STATEMENT
        elif gate.roles_missing:
            gate.state = GATE_ROLES_MISSING
    cache[reference] = gate
    return gate


def forget(application: Application) -> None:
    """Drop the memoised gate (after reports, roles or statements changed)."""
    application.__dict__.pop("_scan_gate", None)
    application.__dict__.pop("_scan_done", None)


# --- computing and storing the gate ------------------------------------------------------


def _deciding_hosts(reports: Sequence[ScanReport]) -> dict[int, set[str]]:
    """For each report, the host keys it decides (it is the newest look at that host).

    One identity per real host across reports: its IP, or a name no other address claims
    (as ssmark.scans.gate does on parsed reports)."""
    hosts = list(
        ScanHost.objects.filter(report__in=reports).values_list(
            "report_id", "key", "ip", "names", "finished_at"
        )
    )
    by_name: dict[str, set[str]] = {}
    for _rid, _key, ip, names, _when in hosts:
        if ip:
            for name in names.split():
                by_name.setdefault(name.lower(), set()).add(ip)
    name_to_ip = {n: next(iter(ips)) for n, ips in by_name.items() if len(ips) == 1}

    def identity(key: str, ip: str, names: str) -> str:
        if ip:
            return ip
        for name in (key, *names.split()):
            if name.lower() in name_to_ip:
                return name_to_ip[name.lower()]
        return key.lower()

    order = {r.pk: i for i, r in enumerate(reports)}
    newest: dict[str, tuple[bool, datetime.datetime, int]] = {}
    seen: list[tuple[str, int, str, tuple[bool, datetime.datetime, int]]] = []
    floor = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    for rid, key, ip, names, when in hosts:
        ident = identity(key, ip, names)
        rank = (when is not None, when or floor, order[rid])
        seen.append((ident, rid, key, rank))
        if ident not in newest or rank > newest[ident]:
            newest[ident] = rank
    deciding: dict[int, set[str]] = {r.pk: set() for r in reports}
    for ident, rid, key, rank in seen:
        best = newest[ident]
        # Reports that finished at the very same moment decide together.
        if rank[:2] == best[:2] and (rank[0] or rank == best):
            deciding[rid].add(key)
    return deciding


def refresh(application: Application) -> ScanGateResult:
    """Recompute and store the gate's counts for `application` (after a report was read or
    removed, host roles or written opinions changed)."""
    forget(application)
    thresholds = thresholds_for(application)
    done = list(
        ScanReport.objects.filter(application=application, state=ScanState.DONE).order_by(
            "created", "id"
        )
    )
    findings = ScanFinding.objects.filter(application=application)
    # Which findings are current: all of a single report; with several, a host's newest.
    findings.filter(current=False).update(current=True)
    if len(done) > 1:
        for report, keys in _deciding_hosts(done).items():
            older = ScanFinding.objects.filter(report_id=report).exclude(host__in=keys)
            older.update(current=False)
    # Bands follow the set's thresholds (they only change if the set's numbers differ).
    for band, condition in (
        (ScanBand.FAIL, Q(base__gte=thresholds.fail_at)),
        (ScanBand.STATEMENT, Q(base__gte=thresholds.statement_at, base__lt=thresholds.fail_at)),
        (ScanBand.LOW, Q(base__lt=thresholds.statement_at)),
    ):
        findings.filter(condition).exclude(band=band).update(band=band)
    opinions = FindingStatement.objects.filter(
        application=application,
        host=OuterRef("host"),
        port=OuterRef("port"),
        check_name=OuterRef("check_name"),
    )
    findings.filter(band=ScanBand.STATEMENT).update(has_opinion=Exists(opinions))
    live = findings.filter(report__state=ScanState.DONE, current=True)
    counts = live.aggregate(
        blocking=Count("pk", filter=Q(band=ScanBand.FAIL)),
        needs=Count("pk", filter=Q(band=ScanBand.STATEMENT)),
        missing=Count("pk", filter=Q(band=ScanBand.STATEMENT, has_opinion=False)),
    )
    without_v2 = sum(r.without_v2_count for r in done)
    roles: dict[str, set[str]] = {}
    for host, role in application.host_roles.values_list("host", "role"):
        roles.setdefault(host, set()).add(role)
    scanned = set(
        ScanHost.objects.filter(report__in=done, key__in=list(roles)).values_list("key", flat=True)
    )
    covered = {role for host, rs in roles.items() if host in scanned for role in rs}
    missing = [role for role in scans.ROLES if role not in covered]
    result, _created = ScanGateResult.objects.update_or_create(
        application=application,
        defaults={
            "blocking": counts["blocking"],
            "needs_opinion": counts["needs"],
            "opinion_missing": counts["missing"],
            "without_v2": without_v2,
            "roles_missing": missing,
            "fail_at": thresholds.fail_at,
            "statement_at": thresholds.statement_at,
        },
    )
    return result


# --- listing ------------------------------------------------------------------------------


@dataclass
class FindingPage:
    """One page of findings (newest-deciding first by score), with the filters applied."""

    rows: list[ScanFinding]
    number: int
    per_page: int
    total: int
    opinions: dict[tuple[str, str, str], FindingStatement]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)


def _done_reports(application: Application) -> dict[int, int]:
    """{report id: finding count} of the application's read reports (memoised)."""
    cached: dict[int, int] | None = application.__dict__.get("_scan_done")
    if cached is None:
        cached = dict(
            ScanReport.objects.filter(application=application, state=ScanState.DONE).values_list(
                "pk", "finding_count"
            )
        )
        application.__dict__["_scan_done"] = cached
    return cached


ORDER = ("-rank", "id")


def _filtered(
    application: Application,
    *,
    host: str = "",
    severity: str = "",
    status: str = "",
    report: int | None = None,
) -> QuerySet[ScanFinding]:
    done = _done_reports(application)
    rows = ScanFinding.objects.filter(application=application, report_id__in=list(done))
    if report is not None:
        rows = rows.filter(report_id=report)
    if host:
        rows = rows.filter(host=host.strip().lower()) if "*" not in host else rows
    if severity in ScanBand.values:
        rows = rows.filter(band=severity)
    if status == STATUS_SUPERSEDED:
        rows = rows.filter(current=False)
    else:
        rows = rows.filter(current=True)
        if status == STATUS_OPINION_MISSING:
            rows = rows.filter(band=ScanBand.STATEMENT, has_opinion=False)
        elif status == STATUS_OPINION_GIVEN:
            rows = rows.filter(band=ScanBand.STATEMENT, has_opinion=True)
    return rows


def _stored_total(
    application: Application, host: str, severity: str, status: str, report: int | None
) -> int | None:
    """The number of findings a filter selects, from stored counts when there is one (the
    first screen then costs no count over the findings), else None."""
    if host or report is not None:
        return None
    done = _done_reports(application)
    if not severity and not status and len(done) == 1:
        return next(iter(done.values()))
    gate = scan_gate(application)
    if status == "" and severity == ScanBand.FAIL:
        return gate.blocking_count
    if status == "" and severity == ScanBand.STATEMENT:
        return gate.needs_statement_count
    if status == STATUS_OPINION_MISSING and severity in ("", ScanBand.STATEMENT):
        return gate.statements_missing_count
    return None


def list_findings(
    *,
    application: Application,
    host: str = "",
    severity: str = "",
    status: str = "",
    report: int | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> FindingPage:
    """One page of the application's findings (of read reports), filtered by host, severity
    band ("fail", "statement", "low", "none") and status ("opinion_missing", "opinion_given",
    "superseded"; default: current findings). The caller has checked the actor may see the
    application. Each row's written opinion (意見書), if any, is in `opinions`."""
    size = per_page or settings.SCAN_PAGE_SIZE
    rows = _filtered(application, host=host, severity=severity, status=status, report=report)
    total = _stored_total(application, host, severity, status, report)
    if total is None:
        total = rows.count()
    pages = max(1, -(-total // size))
    number = min(max(1, page), pages)
    start = (number - 1) * size
    items = list(rows.order_by(*ORDER)[start : start + size])
    keys = [f.key for f in items if f.band == ScanBand.STATEMENT]
    opinions: dict[tuple[str, str, str], FindingStatement] = {}
    if keys:
        for s in FindingStatement.objects.filter(any_key(keys), application=application):
            opinions[s.key] = s
    return FindingPage(items, number, size, total, opinions)


def any_key(keys: Iterable[tuple[str, str, str]]) -> Q:
    """Rows whose (host, port, check) is one of `keys` (at most KEYS_PER_QUERY of them)."""
    q = Q()
    for h, p, c in keys:
        q |= Q(host=h, port=p, check_name=c)
    return q


# Keys looked up per query: a short OR list (SQLite bounds an expression's depth).
KEYS_PER_QUERY = 200


def needing_opinion(
    application: Application, keys: Sequence[tuple[str, str, str]]
) -> set[tuple[str, str, str]]:
    """Which of `keys` are findings (of read reports) that need a written opinion."""
    rows = ScanFinding.objects.filter(
        application=application, report__state=ScanState.DONE, band=ScanBand.STATEMENT
    )
    found: set[tuple[str, str, str]] = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = any_key(keys[start : start + KEYS_PER_QUERY])
        found.update(rows.filter(chunk).values_list("host", "port", "check_name"))
    return found


def finding_keys(
    *, application: Application, host: str = "", severity: str = "", status: str = ""
) -> Iterable[tuple[str, str, str]]:
    """Keys of every current finding needing a written opinion that match the filters."""
    rows = _filtered(application, host=host, severity=severity, status=status).filter(
        band=ScanBand.STATEMENT, current=True
    )
    return rows.values_list("host", "port", "check_name").distinct().iterator(chunk_size=2000)


@dataclass
class HostPage:
    rows: list[tuple[ScanHost, set[str]]]
    number: int
    pages: int
    total: int


def list_hosts(
    *, application: Application, search: str = "", page: int = 1, per_page: int | None = None
) -> HostPage:
    """One page of the scanned hosts (key, IP and names) with their roles."""
    size = per_page or settings.SCAN_PAGE_SIZE
    hosts = ScanHost.objects.filter(report__application=application, report__state=ScanState.DONE)
    if search:
        text = search.strip().lower()
        hosts = hosts.filter(Q(key__icontains=text) | Q(names__icontains=text))
    keys = hosts.values("key").distinct()
    total = keys.count()
    pages = max(1, -(-total // size))
    number = min(max(1, page), pages)
    page_keys = [
        k["key"] for k in keys.order_by("key")[(number - 1) * size : (number - 1) * size + size]
    ]
    by_key: dict[str, ScanHost] = {}
    for h in hosts.filter(key__in=page_keys).order_by("key", "-id"):
        if h.key in by_key:
            merged = set(by_key[h.key].name_list) | set(h.name_list)
            by_key[h.key].names = " ".join(sorted(merged))
        else:
            by_key[h.key] = h
    roles: dict[str, set[str]] = {}
    for host, role in application.host_roles.filter(host__in=page_keys).values_list("host", "role"):
        roles.setdefault(host, set()).add(role)
    rows = [(by_key[k], roles.get(k, set())) for k in page_keys if k in by_key]
    return HostPage(rows, number, pages, total)


def known_hosts(application: Application, hosts: Iterable[str]) -> set[str]:
    """Which of `hosts` a read report of the application scanned."""
    wanted = list(set(hosts))
    found: set[str] = set()
    for i in range(0, len(wanted), 500):
        found.update(
            ScanHost.objects.filter(
                report__application=application,
                report__state=ScanState.DONE,
                key__in=wanted[i : i + 500],
            ).values_list("key", flat=True)
        )
    return found
