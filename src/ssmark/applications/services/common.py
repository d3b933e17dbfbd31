"""Shared checks of the applicant workflows: the actor, the editable-state row lock, items."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ssmark.catalog.models import Item

from .. import assessment
from ..models import Application, ApplicationStatus, ItemAnswer
from ..permissions import is_applicant_member
from ..states import EDITABLE_STATES
from .errors import (
    ERROR_AUDIT_INCOMPLETE,
    ERROR_NOT_APPLICANT,
    ERROR_NOT_EDITABLE,
    ERROR_SCAN_BLOCKING,
    ERROR_UNKNOWN_ITEM,
    ApplicationError,
)

# --- checks ---------------------------------------------------------------------------------


def _require_applicant(actor: Any, application: Application) -> None:
    if not is_applicant_member(actor, application):
        raise ApplicationError(ERROR_NOT_APPLICANT)


def _lock_editable(actor: Any, application: Application) -> Application:
    """Check the actor, lock the application row and check it is editable (re-read)."""
    _require_applicant(actor, application)
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.status not in EDITABLE_STATES:
        raise ApplicationError(ERROR_NOT_EDITABLE, status=ApplicationStatus(current.status).label)
    application.status = current.status
    assessment.forget(application)
    return current


def _item(application: Application, code: str) -> Item:
    try:
        return Item.objects.get(criteria_set_id=application.criteria_set_id, code=code)
    except Item.DoesNotExist:
        raise ApplicationError(ERROR_UNKNOWN_ITEM, code=code) from None


def _answer_for(application: Application, item: Item, actor: Any) -> ItemAnswer:
    answer, _created = ItemAnswer.objects.get_or_create(
        application=application, item=item, defaults={"updated_by": actor}
    )
    return answer


def _touch(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(updated=timezone.now())


def refuse_unbacked_claim(application: Application, item: Item) -> None:
    """Refuse "met" on an item its evidence cannot back yet: the scan item (2-1-1) while the
    diagnosis does not pass or a listed host role has no scanned host, the audit item (1-1-2)
    while the audits of the period leave an audit item uncovered (「網羅していなくてはならない」)."""
    if assessment.is_scan_item(item):
        gate = assessment.scan_gate(application)
        if assessment.scan_claim_blocked(gate):
            raise ApplicationError(ERROR_SCAN_BLOCKING, code=item.code, reason=gate.reason)
    if assessment.is_security_audit_item(item):
        coverage = assessment.security_audit_coverage(application)
        if coverage is not None and not coverage.complete:
            missing = ", ".join(e.code for e in coverage.uncovered)
            raise ApplicationError(
                ERROR_AUDIT_INCOMPLETE,
                code=item.code,
                months=coverage.period_months,
                missing=missing,
            )
