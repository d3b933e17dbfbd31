"""What the committee sees per application (read-only): the first reviewer's worksheet
(findings per item against the applicant's claims), the official verdict and its reasons,
the override and its reason, the incidents declared, and the scan gate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from ssmark.applications.models import Application, IncidentDeclaration, ItemAnswer, ScanReport
from ssmark.catalog.models import Item, ItemKind
from ssmark.reviews.models import FindingValue, FirstReview, ReviewFinding


@dataclass
class WorksheetRow:
    item: Item
    kind: str
    points: int
    claim: str  # "met" | "unmet" | "" ; graded items use `claim_grade`
    claim_grade: int | None
    finding: str  # "met" | "not_met" | ""
    finding_grade: int | None
    comment: str

    @property
    def finding_met(self) -> bool | None:
        if self.kind == ItemKind.GRADED:
            if self.finding_grade is None:
                return None
            return not (self.item.zero_fails and self.finding_grade == 0)
        if not self.finding:
            return None
        return self.finding == FindingValue.MET

    @property
    def differs(self) -> bool:
        """The reviewer's finding does not confirm the applicant's claim."""
        if self.kind == ItemKind.GRADED:
            return self.finding_grade is not None and self.finding_grade != self.claim_grade
        if not self.finding:
            return False
        claimed_met = self.claim == "met"
        return claimed_met != (self.finding == FindingValue.MET)


@dataclass
class ScanGate:
    reports: list[ScanReport]
    latest: ScanReport | None
    fresh: bool | None  # scanned within the freshness window before submission
    danger: int  # findings with CVSS base >= 7.0
    warning: int  # findings with 4.0 <= base < 7.0
    statements: int  # the responsible manager's statements on warnings
    passed: bool | None  # None: not determinable from the stored summary
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Dossier:
    application: Application
    first_review: FirstReview | None
    rows: list[WorksheetRow]
    verdict: Any  # ssmark.reviews.verdict.Verdict, or None when it cannot be computed
    verdict_at_decision: dict[str, Any]
    incidents: list[IncidentDeclaration]
    scan: ScanGate

    @property
    def differing(self) -> list[WorksheetRow]:
        return [row for row in self.rows if row.differs]

    @property
    def findings_met(self) -> int:
        return sum(1 for row in self.rows if row.finding_met)


def _first_review(application: Application) -> FirstReview | None:
    return (
        FirstReview.objects.filter(application=application)
        .select_related("reviewer", "decided_by")
        .first()
    )


def worksheet(application: Application) -> list[WorksheetRow]:
    items = Item.objects.filter(criteria_set_id=application.criteria_set_id).select_related(
        "category"
    )
    answers = {a.item_id: a for a in ItemAnswer.objects.filter(application=application)}
    findings = {f.item_id: f for f in ReviewFinding.objects.filter(application=application)}
    rows = []
    for item in items.order_by("position"):
        answer, finding = answers.get(item.pk), findings.get(item.pk)
        rows.append(
            WorksheetRow(
                item=item,
                kind=item.kind_for(application.review_type),
                points=item.points_for(application.review_type),
                claim=answer.claim if answer else "",
                claim_grade=answer.grade if answer else None,
                finding=finding.finding if finding else "",
                finding_grade=finding.grade if finding else None,
                comment=finding.comment if finding else "",
            )
        )
    return rows


def _verdict(application: Application) -> Any:
    """The official verdict over the reviewer's findings (ssmark.criteria's engine)."""
    from ssmark.reviews.verdict import official_verdict

    try:
        return official_verdict(application)
    except (ImportError, KeyError, LookupError, ValueError):
        # The criteria set cannot be assessed here (e.g. not loaded from the catalog): the
        # page then shows the verdict recorded with the first-review decision.
        return None


def _base(finding: Any) -> float | None:
    if not isinstance(finding, dict):
        return None
    cvss = finding.get("cvss")
    value = cvss.get("base") if isinstance(cvss, dict) else finding.get("base")
    return float(value) if isinstance(value, int | float) else None


def scan_gate(application: Application) -> ScanGate:
    """A summary of item 2-1-1's evidence: the latest diagnosis report, its freshness and the
    findings at danger (≥ 7.0) and warning (≥ 4.0) level, with the statements given."""
    reports = list(ScanReport.objects.filter(application=application).order_by("created", "id"))
    latest = reports[-1] if reports else None
    statements = application.finding_statements.count()
    if latest is None:
        return ScanGate(reports, None, None, 0, 0, statements, False)
    summary = latest.summary if isinstance(latest.summary, dict) else {}
    gate = summary.get("gate") if isinstance(summary.get("gate"), dict) else None
    findings = summary.get("findings")
    bases = [_base(f) for f in findings] if isinstance(findings, list) else []
    danger = sum(1 for b in bases if b is not None and b >= 7.0)
    warning = sum(1 for b in bases if b is not None and 4.0 <= b < 7.0)
    fresh: bool | None = None
    reference = application.submitted_on or timezone.localdate()
    if latest.scanned_on:
        fresh = reference - datetime.timedelta(days=92) <= latest.scanned_on <= reference
    passed: bool | None
    if gate is not None and isinstance(gate.get("passed"), bool):
        passed = gate["passed"]
    elif isinstance(findings, list):
        passed = bool(fresh) and danger == 0 and statements >= warning
    else:
        passed = None
    return ScanGate(reports, latest, fresh, danger, warning, statements, passed, gate or {})


def build(application: Application) -> Dossier:
    review = _first_review(application)
    return Dossier(
        application=application,
        first_review=review,
        rows=worksheet(application),
        verdict=_verdict(application),
        verdict_at_decision=(review.verdict_summary if review else {}) or {},
        incidents=list(IncidentDeclaration.objects.filter(application=application)),
        scan=scan_gate(application),
    )
