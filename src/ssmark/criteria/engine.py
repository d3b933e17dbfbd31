"""The rule engine: (criteria set, review type, answers) -> verdict. Pure and deterministic.

Answers map an item code to "met" / "unmet" (or True / False) for mandatory and fixed-point
items, and to an integer grade for graded items. An item missing from the answers is
unanswered: it is not met (no points; a mandatory one is unmet) and it is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ssmark.criteria.errors import AnswerError
from ssmark.criteria.messages import Reason, render
from ssmark.criteria.model import CriteriaSet, Item, Kind, Lang, ReviewType

Answer = str | bool | int
MET = "met"
UNMET = "unmet"


@dataclass(frozen=True)
class Verdict:
    criteria: str
    review: ReviewType
    passed: bool
    mandatory_total: int
    mandatory_met: int
    mandatory_unmet: tuple[str, ...]  # unanswered mandatory items included
    points_earned: int
    points_available: int
    threshold: int
    graded_zero: tuple[str, ...]  # graded items scored 0 where 0 fails
    unanswered: tuple[str, ...]
    reason_list: tuple[Reason, ...]  # structured; render with `reasons(lang)`
    # Only with `before_review=True`: the items the reviewer grades, and their maximum points.
    at_review: tuple[str, ...] = ()
    points_pending: int = 0

    @property
    def points_needed(self) -> int:
        """Points needed to pass: the threshold."""
        return self.threshold

    @property
    def points_shortfall(self) -> int:
        return max(0, self.threshold - self.points_earned)

    def reasons(self, lang: Lang = "ja") -> list[str]:
        return [render(reason, lang) for reason in self.reason_list]

    def to_dict(self, lang: Lang = "ja") -> dict[str, Any]:
        """The JSON shape of `ssmark assess --json`."""
        return {
            "criteria": self.criteria,
            "review": str(self.review),
            "passed": self.passed,
            "mandatory": {
                "total": self.mandatory_total,
                "met": self.mandatory_met,
                "unmet": list(self.mandatory_unmet),
            },
            "points": {
                "earned": self.points_earned,
                "available": self.points_available,
                "threshold": self.threshold,
            },
            "graded_zero": list(self.graded_zero),
            "unanswered": list(self.unanswered),
            "reasons": self.reasons(lang),
        }


def as_review_type(criteria_set: CriteriaSet, value: object) -> ReviewType:
    """`value` as one of the set's review types, or AnswerError."""
    if isinstance(value, str) and value in criteria_set.review_types:
        return ReviewType(value)
    known = ", ".join(criteria_set.review_types)
    raise AnswerError(f"unknown review type {value!r} (expected: {known})")


def _is_met(item: Item, value: object) -> bool:
    # bool first: in Python True is also the int 1, which must not pass as a grade.
    if isinstance(value, bool):
        return value
    if value in (MET, UNMET):
        return value == MET
    raise AnswerError(f"item {item.code}: expected met or unmet, got {value!r}")


def _grade(item: Item, value: object, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise AnswerError(
            f"item {item.code} is graded {low}–{high}: expected an integer, got {value!r}"
        )
    if not low <= value <= high:
        raise AnswerError(f"item {item.code}: grade {value} is outside {low}–{high}")
    return value


def check_answers(
    criteria_set: CriteriaSet, review: ReviewType, answers: Mapping[str, object]
) -> None:
    """Raise AnswerError for an unknown code or a value of the wrong kind / out of range."""
    known = {item.code: item for item in criteria_set.items}
    for code, value in answers.items():
        item = known.get(code) if isinstance(code, str) else None
        if item is None:
            raise AnswerError(f"unknown item code {code!r} in criteria set {criteria_set.id}")
        scoring = item.scoring_for(review)
        if scoring.kind is Kind.GRADED:
            _grade(item, value, scoring.grade_min, scoring.grade_max)
        else:
            _is_met(item, value)


def assess(
    criteria_set: CriteriaSet,
    review_type: ReviewType | str,
    answers: Mapping[str, Answer],
    *,
    before_review: bool = False,
) -> Verdict:
    """The verdict on `answers`. With `before_review` (the applicant's own view), the items the
    set marks `graded_at_review` are left to the reviewer: any answer to them is ignored, they
    neither earn nor fail, and the points check fails only when even their full grades could not
    reach the threshold."""
    review = as_review_type(criteria_set, review_type)
    if before_review:
        deferred = {item.code for item in criteria_set.items if item.graded_at_review}
        answers = {code: value for code, value in answers.items() if code not in deferred}
    check_answers(criteria_set, review, answers)
    rule = criteria_set.rule(review)
    mandatory_total = 0
    mandatory_unmet: list[str] = []
    graded_zero: list[str] = []
    unanswered: list[str] = []
    failing: list[Reason] = []
    info: list[Reason] = []
    earned = 0
    at_review: list[str] = []
    pending = 0
    # Catalog order throughout, so the same answers always give the same lists.
    for item in criteria_set.items:
        scoring = item.scoring_for(review)
        if before_review and item.graded_at_review:
            at_review.append(item.code)
            pending += scoring.max_points
            info.append(Reason.of("graded_at_review", item=item.code))
            continue
        answered = item.code in answers
        if not answered:
            unanswered.append(item.code)
        value = answers.get(item.code)
        if scoring.kind is Kind.MANDATORY:
            mandatory_total += 1
            if not answered:
                mandatory_unmet.append(item.code)
                failing.append(Reason.of("mandatory_unanswered", item=item.code))
            elif not _is_met(item, value):
                mandatory_unmet.append(item.code)
                failing.append(Reason.of("mandatory_unmet", item=item.code))
        elif scoring.kind is Kind.POINTS:
            if answered and _is_met(item, value):
                earned += scoring.points
            elif not answered:
                info.append(Reason.of("unanswered", item=item.code))
        else:
            if answered:
                grade = _grade(item, value, scoring.grade_min, scoring.grade_max)
                earned += grade
                if grade == 0 and scoring.zero_fails:
                    graded_zero.append(item.code)
                    failing.append(Reason.of("graded_zero", item=item.code))
            elif scoring.zero_fails:
                # No grade is not a passing grade: it cannot be shown to be above 0.
                failing.append(Reason.of("graded_unanswered", item=item.code))
            else:
                info.append(Reason.of("unanswered", item=item.code))
    available = criteria_set.points_available(review)
    points = {"earned": earned, "available": available, "threshold": rule.threshold}
    if earned < rule.threshold <= earned + pending:
        info.insert(
            0,
            Reason.of(
                "points_pending", **points, shortfall=rule.threshold - earned, pending=pending
            ),
        )
    elif earned < rule.threshold:
        failing.append(Reason.of("points_short", **points, shortfall=rule.threshold - earned))
    passed = not failing
    met = mandatory_total - len(mandatory_unmet)
    summary = Reason.of("passed" if passed else "failed", met=met, total=mandatory_total, **points)
    points_reason = [Reason.of("points_ok", **points)] if earned >= rule.threshold else []
    return Verdict(
        criteria=criteria_set.id,
        review=review,
        passed=passed,
        mandatory_total=mandatory_total,
        mandatory_met=met,
        mandatory_unmet=tuple(mandatory_unmet),
        points_earned=earned,
        points_available=available,
        threshold=rule.threshold,
        graded_zero=tuple(graded_zero),
        unanswered=tuple(unanswered),
        reason_list=(summary, *failing, *points_reason, *info),
        at_review=tuple(at_review),
        points_pending=pending,
    )
