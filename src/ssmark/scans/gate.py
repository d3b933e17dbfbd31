"""The item 2-1-1 gate: blocking findings, statements needed, freshness, coverage.

Rules (shared/SPEC.md, "Vulnerability diagnosis"; issue 3). The thresholds are the
criteria set's (`diagnosis.cvss.fail_at`, `statement_at`, `diagnosis.max_age_months`):
`Thresholds.of(criteria_set)`; nothing here hard-codes them.
- a finding's base score is its CVSS v2 base score, else v3.x, else v4 (else a score the
  report gives without a version); no CVSS at all = informational;
- blocking: base >= fail_at still present; needs the 意見書: statement_at <= base < fail_at;
- condition 1: findings scored without a v2 base score are counted (`without_v2`); whether
  the v3/v4 fallback may decide is the set's `cvss.fallback` (default allowed, flagged);
- fresh: every report finished no earlier than max_age_months calendar months before the
  submission date (clamped to the month's end: 05-31 -> 02-29 in a leap year) and not
  after it, dates taken in Japan time;
- several reports of one host: the newest decides; a finding of an older report that the
  newest one no longer lists is resolved;
- coverage: roles (dns, mail, web, auth, router) none of whose hosts was scanned.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from ssmark.core.periods import months_before

from .model import Finding, Report
from .roles import ROLES, normal_host
from .times import SCHEME_TZ

# json.dumps(..., ensure_ascii=False) builds a new encoder per call; one encoder, same output.
_encode = json.JSONEncoder(ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The criteria set's numbers for the gate (never literals in the code)."""

    fail_at: float
    statement_at: float
    max_age_months: int
    # May a v3/v4 score decide when the report gives no v2 base score? (condition 1)
    fallback_allowed: bool = True

    @classmethod
    def of(cls, criteria_set: Any) -> Thresholds:
        """From a `ssmark.criteria.CriteriaSet` (its `diagnosis` and `diagnosis.cvss`)."""
        diagnosis = getattr(criteria_set, "diagnosis", None)
        cvss = getattr(diagnosis, "cvss", None)
        if diagnosis is None or cvss is None:
            raise ValueError(
                f"criteria set {getattr(criteria_set, 'id', '?')} has no diagnosis.cvss thresholds"
            )
        return cls(
            fail_at=float(cvss.fail_at),
            statement_at=float(cvss.statement_at),
            max_age_months=int(diagnosis.max_age_months),
            fallback_allowed=bool(getattr(cvss, "fallback_allowed", True)),
        )

    def band(self, base: float | None) -> str:
        """ "fail", "statement", "low" or "none" (no CVSS score) for a base score."""
        if base is None:
            return "none"
        if base >= self.fail_at:
            return "fail"
        if base >= self.statement_at:
            return "statement"
        return "low"


def earliest_fresh_date(submitted: date, months: int) -> date:
    """`months` calendar months before `submitted`, clamped to the end of that month."""
    return months_before(submitted, months)


# Why a report is not fresh (codes; the application translates them).
STALE_NO_END = "no_end_time"
STALE_AFTER = "after_submission"
STALE_BEFORE = "before_earliest"
_STALE_TEXT = {
    STALE_NO_END: "the report states no scan end time",
    STALE_AFTER: "finished after the submission date",
    STALE_BEFORE: "finished before {earliest}",
}


def stale_text(code: str, earliest: date) -> str:
    return _STALE_TEXT.get(code, code).format(earliest=earliest.isoformat())


@dataclass(slots=True)
class ReportStatus:
    report: Report
    fresh: bool
    reason: str  # "" when fresh
    finished_on: date | None
    reason_code: str = ""


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
    thresholds: Thresholds
    covered_roles: dict[str, list[str]] = field(default_factory=dict)
    tz: tzinfo = SCHEME_TZ

    @property
    def without_v2(self) -> int:
        """Scored findings (all reports) whose report states no CVSS v2 base score."""
        return sum(s.report.without_v2 for s in self.reports)

    @property
    def fresh(self) -> bool:
        return bool(self.reports) and all(s.fresh for s in self.reports)

    @property
    def passed(self) -> bool:
        condition_1 = self.thresholds.fallback_allowed or not self.without_v2
        return self.fresh and not self.blocking and condition_1

    def write_json(self, out: Any) -> None:
        """The same object as `to_dict()`, written piece by piece to the text stream `out`
        (one finding at a time: memory stays flat whatever the number of findings)."""
        head = self.to_dict(findings=False)
        out.write("{")
        first = True
        for key, value in head.items():
            out.write(("" if first else ",") + "\n " + json.dumps(key) + ": ")
            first = False
            if value is None:
                items = getattr(self, key)
                out.write("[")
                # Written a thousand findings at a time: few writes, memory still flat.
                for start in range(0, len(items), 1000):
                    lines = [_encode(f.to_dict()) for f in items[start : start + 1000]]
                    out.write(("," if start else "") + "\n  " + ",\n  ".join(lines))
                out.write("\n ]" if items else "]")
            else:
                out.write(_encode(value))
        out.write("\n}\n")

    def to_dict(self, findings: bool = True) -> dict[str, object]:
        return {
            "submitted": self.submitted.isoformat(),
            "passed": self.passed,
            "fresh": self.fresh,
            "thresholds": {
                "fail_at": self.thresholds.fail_at,
                "statement_at": self.thresholds.statement_at,
                "max_age_months": self.thresholds.max_age_months,
                "fallback_allowed": self.thresholds.fallback_allowed,
            },
            "without_v2": self.without_v2,
            "reports": [s.report.to_dict(self.tz) for s in self.reports],
            "blocking": [f.to_dict() for f in self.blocking] if findings else None,
            "needs_statement": ([f.to_dict() for f in self.needs_statement] if findings else None),
            "resolved": [f.to_dict() for f in self.resolved] if findings else None,
            "roles_missing": list(self.roles_missing),
        }


def freshness(finished_on: date | None, submitted: date, earliest: date) -> str:
    """ "" when a report that finished on `finished_on` is fresh, else why not (a code)."""
    if finished_on is None:
        return STALE_NO_END
    if finished_on > submitted:
        return STALE_AFTER
    if finished_on < earliest:
        return STALE_BEFORE
    return ""


def _status(report: Report, submitted: date, earliest: date, tz: tzinfo) -> ReportStatus:
    finished_on = report.finished.astimezone(tz).date() if report.finished else None
    code = freshness(finished_on, submitted, earliest)
    reason = stale_text(code, earliest) if code else ""
    return ReportStatus(report, not code, reason, finished_on, code)


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
    *,
    thresholds: Thresholds,
) -> GateVerdict:
    """The verdict for `reports` submitted on `submitted` (roles: {host: {role, ...}}),
    under the criteria set's `thresholds`."""
    earliest = earliest_fresh_date(submitted, thresholds.max_age_months)
    for report in reports:
        if not report.streamed:  # read whole: count condition 1 from the findings themselves
            scored = [f for f in report.findings if f.scores]
            report.scored = len(scored)
            report.without_v2 = sum(1 for f in scored if not f.has_v2)
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
        if base >= thresholds.fail_at:
            blocking.append(finding)
        elif base >= thresholds.statement_at:
            statement.append(finding)
    resolved = [
        f
        for k, f in older.items()
        if k not in current and (f.base or 0.0) >= thresholds.statement_at
    ]

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
        thresholds=thresholds,
        covered_roles=covered,
        tz=tz,
    )
