"""The application's state machine: which transitions exist, and the one way to make them.

Service functions (applications.services, reviews.services, committee.services) check the
actor's role and the business rules, then call `transition()` inside their transaction. It
locks the row, re-checks the current state (another request may have moved it meanwhile),
saves, and writes the audit entry. An illegal transition raises `IllegalTransition` and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ssmark.core import statetables
from ssmark.core.models import audit
from ssmark.core.refusals import WrongState

from .models import Application, ApplicationStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.IN_FIRST_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.IN_FIRST_REVIEW: frozenset(
        {
            ApplicationStatus.RETURNED,
            ApplicationStatus.FIRST_REVIEW_PASSED,
            ApplicationStatus.FIRST_REVIEW_REJECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.RETURNED: frozenset(
        {ApplicationStatus.RESUBMITTED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.RESUBMITTED: frozenset(
        {ApplicationStatus.IN_FIRST_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.FIRST_REVIEW_PASSED: frozenset(
        {
            ApplicationStatus.APPROVED,
            ApplicationStatus.COMMITTEE_REJECTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.FIRST_REVIEW_REJECTED: frozenset(),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.COMMITTEE_REJECTED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

# States in which the applicant may edit answers, evidence, audits and incidents.
EDITABLE_STATES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.RETURNED})

ERROR_ILLEGAL_TRANSITION = _("This application cannot go from “%(from)s” to “%(to)s”.")


class IllegalTransition(WrongState):
    """The application is not in a state that allows this step (not in TRANSITIONS)."""

    default_code = "illegal_transition"

    def __init__(self, application: Application, to_status: str) -> None:
        self.from_status = application.status
        self.to_status = to_status
        super().__init__(
            ERROR_ILLEGAL_TRANSITION,
            {
                "from": ApplicationStatus(application.status).label,
                "to": ApplicationStatus(to_status).label,
            },
        )


TABLE = statetables.register(
    "Application",
    ApplicationStatus,
    TRANSITIONS,
    initial=ApplicationStatus.DRAFT,
    refusal=lambda from_status, to_status: IllegalTransition(
        Application(status=from_status), to_status
    ),
)


def can_transition(application: Application, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(application.status, frozenset())


def transition(
    application: Application,
    *,
    to_status: str,
    actor: Any,
    action: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> Application:
    """Move `application` to `to_status`, recording `action` (e.g. "ssmark.application.submitted").

    Must be called inside `transaction.atomic()`; the row is locked and re-read so two
    concurrent requests cannot both make a transition from the same state.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside transaction.atomic()")
    current = Application.objects.select_for_update().get(pk=application.pk)
    if to_status not in TRANSITIONS.get(current.status, frozenset()):
        raise IllegalTransition(current, to_status)
    from_status = current.status
    Application.objects.filter(pk=current.pk).update(status=to_status)
    application.status = to_status
    audit(
        actor=actor,
        action=action,
        target=application,
        from_state=from_status,
        to_state=to_status,
        comment=comment,
        data=data,
    )
    return application
