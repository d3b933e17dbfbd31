"""The official verdict of the first review: the rule engine over the REVIEWER'S findings.

The applicant's claims never enter it. An item without a finding counts as unanswered (and so
as not met).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from ssmark import criteria
from ssmark.applications.models import Application

from .models import FindingValue, ReviewFinding


@dataclass(frozen=True)
class Verdict:
    """The engine's verdict, with what the worksheet and the decision need on top."""

    engine: criteria.Verdict

    @property
    def passed(self) -> bool:
        return self.engine.passed

    @property
    def mandatory_total(self) -> int:
        return self.engine.mandatory_total

    @property
    def mandatory_met(self) -> int:
        return self.engine.mandatory_met

    @property
    def unmet_mandatory(self) -> tuple[str, ...]:
        return self.engine.mandatory_unmet

    @property
    def points_earned(self) -> int:
        return self.engine.points_earned

    @property
    def points_available(self) -> int:
        return self.engine.points_available

    @property
    def threshold(self) -> int:
        return self.engine.threshold

    @property
    def graded_zero(self) -> tuple[str, ...]:
        return self.engine.graded_zero

    @property
    def unanswered(self) -> tuple[str, ...]:
        return self.engine.unanswered

    @property
    def points_short(self) -> int:
        return self.engine.points_shortfall

    @property
    def points_percent(self) -> int:
        available = self.points_available
        return min(100, round(100 * self.points_earned / available)) if available else 0

    @property
    def threshold_percent(self) -> int:
        available = self.points_available
        return round(100 * self.threshold / available) if available else 0

    def reasons(self) -> list[str]:
        """Why, in the current language."""
        return self.engine.reasons(get_language() or "ja")

    def summary(self) -> dict[str, Any]:
        """JSON-serialisable, for the decision record and the audit trail."""
        data = self.engine.to_dict("ja")
        data.pop("reasons", None)
        return data


def answers_from_findings(
    findings: Iterable[ReviewFinding], item_codes: dict[int, str]
) -> dict[str, criteria.Answer]:
    """The engine's answers (item code → "met" | "unmet" | grade) from the reviewer's findings.

    Unanswered findings are left out, so the engine counts them as unanswered.
    """
    answers: dict[str, criteria.Answer] = {}
    for finding in findings:
        code = item_codes.get(finding.item_id)
        if code is None:
            continue
        if finding.grade is not None:
            answers[code] = finding.grade
        elif finding.finding == FindingValue.MET:
            answers[code] = "met"
        elif finding.finding == FindingValue.NOT_MET:
            answers[code] = "unmet"
    return answers


def assess_answers(application: Application, answers: Mapping[str, criteria.Answer]) -> Verdict:
    from ssmark.catalog.services import get_criteria_set

    pure = get_criteria_set(application.criteria_set)
    return Verdict(criteria.assess(pure, application.review_type, answers))


def official_verdict(
    application: Application, findings: Iterable[ReviewFinding] | None = None
) -> Verdict:
    """The verdict from the reviewer's findings (pass `findings` to avoid re-reading them)."""
    if findings is None:
        findings = ReviewFinding.objects.filter(application=application).select_related("item")
    findings = list(findings)
    codes = {f.item_id: f.item.code for f in findings}
    return assess_answers(application, answers_from_findings(findings, codes))
