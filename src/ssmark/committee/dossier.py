"""What the committee sees per application (read-only): the first reviewer's worksheet
(findings per item against the applicant's claims), the official verdict and its reasons,
the override and its reason, the incidents declared, and the scan gate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
class Dossier:
    application: Application
    first_review: FirstReview | None
    rows: list[WorksheetRow]
    verdict: Any  # ssmark.reviews.verdict.Verdict, or None when it cannot be computed
    verdict_at_decision: dict[str, Any]
    incidents: list[IncidentDeclaration]
    scan: Any  # ssmark.applications.assessment.ScanGate
    scan_reports: list[ScanReport]

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


def scan_gate(application: Application) -> Any:
    """Item 2-1-1's gate as the applications app computes it (freshness before the submission
    date, blocking findings, statements on warnings, server roles covered)."""
    from ssmark.applications.assessment import scan_gate as gate

    return gate(application)


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
        scan_reports=list(
            ScanReport.objects.filter(application=application).order_by("created", "id")
        ),
    )
