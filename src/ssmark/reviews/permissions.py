"""Who may see and do what in the first review.

Read access to an application comes from the applications app (`can_view_application`); the
first-review pages add that only staff see the worksheet (applicants see their own application
page instead). Write actions have stricter checks of their own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet

from ssmark.accounts.models import Role, acts_for
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.applications.permissions import can_view_application, submitted_filter

# Applications reception staff work on (see in their queue and may assign a reviewer to).
RECEPTION_QUEUE_STATES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RESUBMITTED,
    ApplicationStatus.IN_FIRST_REVIEW,
    ApplicationStatus.RETURNED,
)
OVERSIGHT_ROLES = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def is_reception_staff_of(user: Any, application: Application) -> bool:
    return acts_for(user, application.reception_body_id, Role.RECEPTION_STAFF)


def is_first_reviewer_of_body(user: Any, application: Application) -> bool:
    """`user` is a first reviewer at the application's reception body (assigned or not)."""
    return acts_for(user, application.reception_body_id, Role.FIRST_REVIEWER)


def assigned_reviewer_id(application: Application) -> int | None:
    try:
        return application.first_review.reviewer_id
    except ObjectDoesNotExist:
        return None


def is_assigned_reviewer(user: Any, application: Application) -> bool:
    return is_first_reviewer_of_body(user, application) and assigned_reviewer_id(
        application
    ) == getattr(user, "pk", None)


def can_view_worksheet(user: Any, application: Application) -> bool:
    """Staff who may read the application may read its first-review worksheet and history.

    Applicants never see the worksheet (they see the reviewer's return comments on their own
    application page). A first reviewer sees the worksheets of applications assigned to them.
    """
    if not _authenticated(user) or not user.is_staff_role:
        return False
    if not can_view_application(user, application):
        return False
    if user.has_role(*OVERSIGHT_ROLES) or is_reception_staff_of(user, application):
        return True
    return is_assigned_reviewer(user, application)


def can_assign(user: Any, application: Application) -> bool:
    return is_reception_staff_of(user, application)


def can_review(user: Any, application: Application) -> bool:
    """May record findings, return and decide (state rules are checked by the services)."""
    return is_assigned_reviewer(user, application)


def queue_for(user: Any) -> QuerySet[Application]:
    """The applications on `user`'s first-review queue."""
    qs = Application.objects.select_related(
        "organisation", "reception_body", "first_review__reviewer"
    )
    if not _authenticated(user):
        return qs.none()
    visible = Q(pk__in=[])
    if user.has_role(*OVERSIGHT_ROLES):
        visible |= submitted_filter()
    if user.has_role(Role.RECEPTION_STAFF) and user.organisation_id:
        visible |= Q(reception_body_id=user.organisation_id) & submitted_filter()
    if user.has_role(Role.FIRST_REVIEWER) and user.organisation_id:
        visible |= Q(first_review__reviewer=user, reception_body_id=user.organisation_id)
    return qs.filter(visible)
