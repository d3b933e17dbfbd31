"""What the rules say about an application now: readiness (rule engine), the 2-1-1 scan gate
and the 1-1-2 audit coverage. Read-only; used by the services, the pages and the reviewers.

The items with special evidence are found by their evidence kind (SCAN, AUDIT), never by code:
a later criteria set may number them differently.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import get_language

from ssmark import criteria

# The catalog's Django row, not the pure `criteria.Item` this module also reads.
from ssmark.catalog.models import Item as CatalogItem
from ssmark.catalog.services import get_criteria_set
from ssmark.core.periods import months_before

from .models import Application, Claim, ItemAnswer, SecurityAuditRecord, Signer

SCAN = criteria.EvidenceKind.SCAN.value
AUDIT = criteria.EvidenceKind.AUDIT.value
WEB_KINDS = frozenset(
    {
        criteria.EvidenceKind.WEB.value,
        criteria.EvidenceKind.DOC_OR_WEB.value,
        criteria.EvidenceKind.DOC_AND_WEB.value,
    }
)
FILE_KINDS = frozenset(
    {
        criteria.EvidenceKind.DOC.value,
        criteria.EvidenceKind.DOC_OR_WEB.value,
        criteria.EvidenceKind.DOC_AND_WEB.value,
        criteria.EvidenceKind.AUDIT.value,
        criteria.EvidenceKind.SCAN.value,
    }
)


def lang() -> str:
    return get_language() or "ja"


# --- items by evidence kind -----------------------------------------------------------------


def is_scan_item(item: CatalogItem) -> bool:
    return SCAN in (item.evidence or [])


def is_security_audit_item(item: CatalogItem) -> bool:
    return AUDIT in (item.evidence or [])


def asks_for_web(item: CatalogItem) -> bool:
    return bool(WEB_KINDS.intersection(item.evidence or []))


def asks_for_file(item: CatalogItem) -> bool:
    return bool(FILE_KINDS.intersection(item.evidence or []))


PIM_KINDS = frozenset(
    {criteria.EvidenceKind.PIM_SIGNED.value, criteria.EvidenceKind.PIM_SIGNED_BY.value}
)


def signer_for(item: CatalogItem) -> str | None:
    kinds = item.evidence or []
    if PIM_KINDS.intersection(kinds):
        return Signer.PIM_MANAGER
    if criteria.EvidenceKind.SIGNED.value in kinds:
        return Signer.RESPONSIBLE_MANAGER
    return None


def evidence_texts(item: CatalogItem) -> list[str]:
    """What the item asks for, in the current language (the seed's 確認方法 wording)."""
    out = []
    for kind in item.evidence or []:
        try:
            out.append(criteria.EVIDENCE_TEXT[criteria.EvidenceKind(kind)].get(lang()))
        except (ValueError, KeyError):
            out.append(str(kind))
    return out


def _item_with(application: Application, kind: str) -> CatalogItem | None:
    for item in CatalogItem.objects.filter(criteria_set_id=application.criteria_set_id).order_by(
        "position"
    ):
        if kind in (item.evidence or []):
            return item
    return None


def scan_item(application: Application) -> CatalogItem | None:
    return _item_with(application, SCAN)


def security_audit_item(application: Application) -> CatalogItem | None:
    return _item_with(application, AUDIT)


def criteria_for(application: Application) -> criteria.CriteriaSet:
    return get_criteria_set(application.criteria_set)


def graded_at_review(application: Application, item: CatalogItem) -> bool:
    """Does the reviewer, not the applicant, grade `item`? (A flag in the set's data: the
    seed's 7-1-1..7-1-3, whose grading basis is not published.)"""
    cs = criteria_for(application)
    return any(i.code == item.code and i.graded_at_review for i in cs.items)


# --- readiness ------------------------------------------------------------------------------


@dataclass
class CategoryReadiness:
    code: str
    title: str
    earned: int = 0
    available: int = 0
    mandatory_total: int = 0
    mandatory_unmet: list[str] = field(default_factory=list)
    graded_zero: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    at_review: list[str] = field(default_factory=list)  # graded by the reviewer

    @property
    def percent(self) -> int:
        return round(100 * self.earned / self.available) if self.available else 100

    @property
    def mandatory_met(self) -> int:
        return self.mandatory_total - len(self.mandatory_unmet)


@dataclass
class Readiness:
    verdict: criteria.Verdict
    categories: list[CategoryReadiness]
    # The scan item is claimed met but the gate blocks: it counts as not met.
    scan_claim_overridden: str | None = None
    # The audit item is claimed met but the audits do not cover every audit item.
    audit_claim_overridden: str | None = None

    @property
    def percent(self) -> int:
        v = self.verdict
        return round(100 * v.points_earned / v.points_available) if v.points_available else 0

    @property
    def threshold_percent(self) -> int:
        v = self.verdict
        return round(100 * v.threshold / v.points_available) if v.points_available else 0

    def reasons(self) -> list[str]:
        return self.verdict.reasons(lang())


def engine_answers(
    answers: Iterable[ItemAnswer], cs: criteria.CriteriaSet, review: str
) -> dict[str, criteria.Answer]:
    """The applicant's answers as the rule engine takes them (unanswered items left out)."""
    out: dict[str, criteria.Answer] = {}
    known = {item.code: item for item in cs.items}
    for answer in answers:
        code = answer.item.code
        item = known.get(code)
        if item is None:
            continue
        if item.graded_at_review:
            continue  # the reviewer's grade, not the applicant's
        if item.kind_for(review) is criteria.Kind.GRADED:
            if answer.grade is not None:
                out[code] = int(answer.grade)
        elif answer.claim in (Claim.MET, Claim.UNMET):
            out[code] = criteria.MET if answer.claim == Claim.MET else criteria.UNMET
    return out


def readiness(
    application: Application,
    answers: Iterable[ItemAnswer] | None = None,
    gate: ScanGate | None = None,
    coverage: SecurityAuditCoverage | None = None,
) -> Readiness:
    """What the rule engine says about the applicant's own claims right now.

    A claim the evidence cannot back counts as not met: the scan item while its gate blocks or
    a host role is not scanned, the audit item while the audits leave an audit item uncovered.
    """
    cs = criteria_for(application)
    review = application.review_type
    if answers is None:
        answers = application.answers.select_related("item")
    given = engine_answers(answers, cs, review)
    overridden = None
    scan_code = cs.diagnosis.item if cs.diagnosis else None
    for item in cs.items:
        if criteria.EvidenceKind.SCAN in item.evidence:
            scan_code = item.code
    if scan_code and given.get(scan_code) == criteria.MET:
        gate = gate or scan_gate(application)
        if scan_claim_blocked(gate):
            given[scan_code] = criteria.UNMET
            overridden = scan_code
    audit_overridden = None
    if cs.audit is not None and given.get(cs.audit.item) == criteria.MET:
        coverage = coverage or security_audit_coverage(application)
        if coverage is not None and not coverage.complete:
            given[cs.audit.item] = criteria.UNMET
            audit_overridden = cs.audit.item
    verdict = criteria.assess(cs, review, given, before_review=True)
    unmet, zero, unanswered = (
        set(verdict.mandatory_unmet),
        set(verdict.graded_zero),
        set(verdict.unanswered),
    )
    categories = []
    for category in cs.categories:
        row = CategoryReadiness(code=category.code, title=category.title.get(lang()))
        for item in category.items:
            scoring = item.scoring_for(review)
            row.available += scoring.max_points
            value = given.get(item.code)
            if scoring.kind is criteria.Kind.MANDATORY:
                row.mandatory_total += 1
            elif scoring.kind is criteria.Kind.POINTS and value == criteria.MET:
                row.earned += scoring.points
            elif scoring.kind is criteria.Kind.GRADED and isinstance(value, int):
                row.earned += value
            if item.code in unmet:
                row.mandatory_unmet.append(item.code)
            if item.code in zero:
                row.graded_zero.append(item.code)
            if item.graded_at_review:
                row.at_review.append(item.code)
            elif item.code in unanswered:
                row.unanswered.append(item.code)
        categories.append(row)
    return Readiness(
        verdict=verdict,
        categories=categories,
        scan_claim_overridden=overridden,
        audit_claim_overridden=audit_overridden,
    )


def scan_claim_blocked(gate: ScanGate) -> bool:
    """May the scan item (2-1-1) not be claimed met? The gate blocks, or a host role the seed
    lists (DNS, mail, web, authentication, router) has no scanned host."""
    return gate.blocks_claim or bool(gate.roles_missing)


# --- 1-1-2: audit coverage ------------------------------------------------------------------


@dataclass
class SecurityAuditEntryCoverage:
    code: str
    text: str
    covered_by: list[SecurityAuditRecord]


@dataclass
class SecurityAuditGroupCoverage:
    code: str
    title: str
    entries: list[SecurityAuditEntryCoverage]


@dataclass
class SecurityAuditCoverage:
    item_code: str
    period_months: int
    since: datetime.date
    groups: list[SecurityAuditGroupCoverage]
    intro: str = ""
    recent_count: int = 0

    @property
    def uncovered(self) -> list[SecurityAuditEntryCoverage]:
        return [e for g in self.groups for e in g.entries if not e.covered_by]

    @property
    def complete(self) -> bool:
        return not self.uncovered


def security_audit_item_codes(application: Application) -> set[str]:
    cs = criteria_for(application)
    if cs.audit is None:
        return set()
    return {entry.code for group in cs.audit.groups for entry in group.entries}


def security_audit_coverage(
    application: Application,
    audits: Iterable[SecurityAuditRecord] | None = None,
    today: datetime.date | None = None,
) -> SecurityAuditCoverage | None:
    """Which audit items of the set the audits of the last period (12 months in the seed)
    covered, and which no audit covered. None when the set has no audit checklist."""
    cs = criteria_for(application)
    if cs.audit is None:
        return None
    reference = reference_date(application, today)
    since = months_before(reference, cs.audit.period_months)
    records = list(audits if audits is not None else application.audits.all())
    recent = [a for a in records if since <= a.audited_on <= reference]
    groups = []
    for group in cs.audit.groups:
        entries = [
            SecurityAuditEntryCoverage(
                code=entry.code,
                text=entry.text.get(lang()),
                covered_by=[a for a in recent if entry.code in (a.covered or [])],
            )
            for entry in group.entries
        ]
        groups.append(SecurityAuditGroupCoverage(group.code, group.title.get(lang()), entries))
    return SecurityAuditCoverage(
        item_code=cs.audit.item,
        period_months=cs.audit.period_months,
        since=since,
        groups=groups,
        intro=cs.audit.intro.get(lang()),
        recent_count=len(recent),
    )


# --- 2-1-1: scan reports and the gate -------------------------------------------------------
# The gate is stored and its findings are rows: see scangate (re-exported here for callers).

from .scangate import (  # noqa: E402, F401
    GATE_BLOCKING,
    GATE_LABELS,
    GATE_NEEDS_STATEMENT,
    GATE_NO_REPORT,
    GATE_NO_V2,
    GATE_OK,
    GATE_PENDING,
    GATE_ROLES_MISSING,
    GATE_STALE,
    ScanGate,
    forget,
    reference_date,
    scan_gate,
)
