"""Who may see and change an application. The one policy every view and download uses.

- An applicant member sees its own organisation's applications, in every state.
- Staff see an application only once it has been submitted (never a draft, nor one withdrawn
  before it was ever submitted):
  reception staff of the reception body it was submitted to; the assigned first reviewer;
  committee members, secretariat staff and administrators.
Views answer 404 when this says no, so nobody learns that an id exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ssmark.accounts.models import Role, acts_for

from .models import Application, ApplicationStatus

SCHEME_WIDE_ROLES = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)


def has_been_submitted(application: Application) -> bool:
    """True once the application has reached the reception body (staff may then read it)."""
    if application.status == ApplicationStatus.DRAFT:
        return False
    if application.status == ApplicationStatus.WITHDRAWN:
        return application.first_submitted_on is not None
    return True


def is_applicant_member(user: Any, application: Application) -> bool:
    return acts_for(user, application.organisation_id, Role.APPLICANT)


def _is_assigned_first_reviewer(user: Any, application: Application) -> bool:
    from ssmark.reviews.models import FirstReview

    return FirstReview.objects.filter(application_id=application.pk, reviewer_id=user.pk).exists()


def can_view_application(user: Any, application: Application) -> bool:
    """May `user` see `application`, its answers and its files?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_applicant_member(user, application):
        return True
    if not has_been_submitted(application):
        return False
    if user.has_role(*SCHEME_WIDE_ROLES):
        return True
    if acts_for(user, application.reception_body_id, Role.RECEPTION_STAFF):
        return True
    return user.has_role(Role.FIRST_REVIEWER) and _is_assigned_first_reviewer(user, application)


def can_edit_application(user: Any, application: Application) -> bool:
    """May `user` act as the applicant (the services also check the application's state)?"""
    return is_applicant_member(user, application)


def own_applications(user: Any) -> QuerySet[Application]:
    """The applications of the user's organisation (for applicant members), else none."""
    if (
        not getattr(user, "is_authenticated", False)
        or user.organisation_id is None
        or not user.has_role(Role.APPLICANT)
    ):
        return Application.objects.none()
    return Application.objects.filter(organisation_id=user.organisation_id)


def submitted_filter() -> Q:
    """Q for applications staff may see at all (submitted at least once)."""
    return ~Q(status=ApplicationStatus.DRAFT) & ~Q(
        status=ApplicationStatus.WITHDRAWN, first_submitted_on__isnull=True
    )
