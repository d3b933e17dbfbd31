"""Saving the applicant's answer (claim or grade) to one item."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ssmark.catalog.models import ItemKind
from ssmark.core.models import audit

from .. import assessment
from ..models import Application, Claim, ItemAnswer
from .common import _item, _lock_editable, _touch, refuse_unbacked_claim
from .errors import (
    ERROR_CLAIM_REQUIRED,
    ERROR_GRADE_REQUIRED,
    ERROR_GRADED_AT_REVIEW,
    ApplicationError,
    StaleAnswer,
)

# --- answers --------------------------------------------------------------------------------


@transaction.atomic
def save_answer(
    *,
    actor: Any,
    application: Application,
    item_code: str,
    claim: str = "",
    grade: int | None = None,
    explanation: str = "",
    expected_version: int | None = None,
) -> ItemAnswer:
    """Record the applicant's claim (met / not met) or grade for one item, and how it is met.

    `expected_version` is the answer's version the form was based on; if someone saved the
    item since, `StaleAnswer` is raised and nothing is overwritten.
    """
    _lock_editable(actor, application)
    item = _item(application, item_code)
    if assessment.graded_at_review(application, item):
        # The reviewer grades it; the applicant only describes what they do.
        if grade is not None:
            raise ApplicationError(ERROR_GRADED_AT_REVIEW, code=item.code)
        claim = ""
    elif item.kind_for(application.review_type) == ItemKind.GRADED:
        low, high = item.grade_min or 0, item.grade_max or 0
        if grade is not None and not (low <= grade <= high):
            raise ApplicationError(ERROR_GRADE_REQUIRED, code=item.code, min=low, max=high)
        claim = ""
    else:
        if claim not in ("", Claim.MET, Claim.UNMET):
            raise ApplicationError(ERROR_CLAIM_REQUIRED, code=item.code)
        grade = None
        if claim == Claim.MET:
            refuse_unbacked_claim(application, item)
    answer = (
        ItemAnswer.objects.select_for_update().filter(application=application, item=item).first()
    )
    if answer is None:
        answer = ItemAnswer(application=application, item=item)
    elif expected_version is not None and answer.version != expected_version:
        raise StaleAnswer(answer, item.code)
    before = {"claim": answer.claim, "grade": answer.grade}
    answer.claim = claim
    answer.grade = grade
    answer.explanation = explanation.strip()
    answer.carried_over = False
    answer.updated_by = actor
    answer.version = answer.version + 1
    answer.save()
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.answer_saved",
        target=application,
        data={"item": item.code, "before": before, "claim": claim, "grade": grade},
    )
    return answer
