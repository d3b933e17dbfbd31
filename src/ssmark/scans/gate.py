"""The item 2-1-1 gate: blocking findings, statements needed, freshness, coverage.

Rules (shared/SPEC.md, "Vulnerability diagnosis"; issue 3):
- a finding's base score is its CVSS v2 base score, else v3.x, else v4 (else a score the
  report gives without a version); no CVSS at all = informational;
- blocking: base >= 7.0 still present; needs statement: 4.0 <= base < 7.0;
- fresh: every report finished no earlier than 3 calendar months before the submission
  date (clamped to the month's end: 05-31 -> 02-29 in a leap year) and not after it,
  dates taken in Japan time;
- several reports of one host: the newest decides; a finding of an older report that the
  newest one no longer lists is resolved;
- coverage: roles (dns, mail, web, auth, router) none of whose hosts was scanned.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from .model import Finding, Report
from .roles import ROLES, normal_host
from .times import SCHEME_TZ

BLOCKING = 7.0
STATEMENT = 4.0


def earliest_fresh_date(submitted: date) -> date:
    """Three calendar months before `submitted`, clamped to the end of that month."""
    year, month = submitted.year, submitted.month - 3
    if month < 1:
        month += 12
        year -= 1
    return date(year, month, min(submitted.day, calendar.monthrange(year, month)[1]))


@dataclass(slots=True)
class ReportStatus:
    report: Report
    fresh: bool
    reason: str  # "" when fresh
    finished_on: date | None


@dataclass(slots=True)
class GateVerdict:
    submitted: date
    earliest: date
    reports: list[ReportStatus]
    blocking: list[Finding]
    needs_statement: list[Finding]
    resolved: list[Finding]
    roles_missing: list[str]
    roles_given: bool
    covered_roles: dict[str, list[str]] = field(default_factory=dict)
    tz: tzinfo = SCHEME_TZ

    @property
    def fresh(self) -> bool:
        return bool(self.reports) and all(s.fresh for s in self.reports)

    @property
    def passed(self) -> bool:
        return self.fresh and not self.blocking

    def to_dict(self) -> dict[str, object]:
        return {
            "submitted": self.submitted.isoformat(),
            "passed": self.passed,
            "fresh": self.fresh,
            "reports": [s.report.to_dict(self.tz) for s in self.reports],
            "blocking": [f.to_dict() for f in self.blocking],
            "needs_statement": [f.to_dict() for f in self.needs_statement],
            "resolved": [f.to_dict() for f in self.resolved],
            "roles_missing": list(self.roles_missing),
        }


def _status(report: Report, submitted: date, earliest: date, tz: tzinfo) -> ReportStatus:
    if report.finished is None:
        return ReportStatus(report, False, "the report states no scan end time", None)
    finished_on = report.finished.astimezone(tz).date()
    if finished_on > submitted:
        return ReportStatus(report, False, "finished after the submission date", finished_on)
    if finished_on < earliest:
        return ReportStatus(report, False, f"finished before {earliest.isoformat()}", finished_on)
    return ReportStatus(report, True, "", finished_on)


class _Identity:
    """One identity per real host across reports: its IP, or a name no IP claims."""

    def __init__(self, reports: Sequence[Report]) -> None:
        by_name: dict[str, set[str]] = {}
        for report in reports:
            for host in report.hosts.values():
                if host.ip:
                    for name in host.names:
                        by_name.setdefault(name.lower(), set()).add(host.ip)
        # A name shared by several addresses (a load-balanced service) links none of them.
        self._name_to_ip = {n: next(iter(ips)) for n, ips in by_name.items() if len(ips) == 1}

    def of(self, report: Report, host_key: str) -> str:
        host = report.hosts.get(host_key)
        if host is not None and host.ip:
            return host.ip
        names = [host_key, *(sorted(host.names) if host is not None else [])]
        for name in names:
            ip = self._name_to_ip.get(name.lower())
            if ip:
                return ip
        return host_key.lower()

    def lookup(self, text: str) -> str:
        key = normal_host(text)
        return self._name_to_ip.get(key, key)


def _sort(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-(f.base or 0.0), f.host, f.port, f.check))


def evaluate(
    reports: Sequence[Report],
    submitted: date,
    roles: Mapping[str, Iterable[str]] | None = None,
    tz: tzinfo = SCHEME_TZ,
) -> GateVerdict:
    """The verdict for `reports` submitted on `submitted` (roles: {host: {role, ...}})."""
    earliest = earliest_fresh_date(submitted)
    statuses = [_status(r, submitted, earliest, tz) for r in reports]
    identity = _Identity(reports)

    # When each report last looked at each host: per-host end time, else the report's.
    seen: dict[str, list[tuple[datetime | None, int]]] = {}
    for index, report in enumerate(reports):
        for key, host in report.hosts.items():
            when = host.finished or report.finished
            seen.setdefault(identity.of(report, key), []).append((when, index))

    def order(entry: tuple[datetime | None, int]) -> tuple[bool, datetime, int]:
        when, index = entry
        return (when is not None, when or datetime.min.replace(tzinfo=tz), index)

    deciding: dict[str, set[int]] = {}
    for ident, entries in seen.items():
        newest = max(entries, key=order)
        # Reports that finished at the very same moment decide together.
        deciding[ident] = {
            i for w, i in entries if w == newest[0] and (w is not None or i == newest[1])
        }

    current: dict[tuple[str, str, str], Finding] = {}
    older: dict[tuple[str, str, str], Finding] = {}
    for index, report in enumerate(reports):
        for finding in report.findings:
            ident = identity.of(report, finding.host)
            fkey = (ident, finding.port, finding.check)
            target = current if index in deciding.get(ident, {index}) else older
            kept = target.get(fkey)
            if kept is None or (finding.base or 0.0) > (kept.base or 0.0):
                target[fkey] = finding

    blocking, statement = [], []
    for finding in current.values():
        base = finding.base
        if base is None:
            continue
        if base >= BLOCKING:
            blocking.append(finding)
        elif base >= STATEMENT:
            statement.append(finding)
    resolved = [f for k, f in older.items() if k not in current and (f.base or 0.0) >= STATEMENT]

    covered: dict[str, list[str]] = {}
    if roles is None:
        missing = list(ROLES)
    else:
        for role_host, host_roles in roles.items():
            if identity.lookup(role_host) in seen:
                for role in host_roles:
                    covered.setdefault(role, []).append(role_host)
        missing = [role for role in ROLES if role not in covered]

    return GateVerdict(
        submitted=submitted,
        earliest=earliest,
        reports=statuses,
        blocking=_sort(blocking),
        needs_statement=_sort(statement),
        resolved=_sort(resolved),
        roles_missing=missing,
        roles_given=roles is not None,
        covered_roles=covered,
        tz=tz,
    )
