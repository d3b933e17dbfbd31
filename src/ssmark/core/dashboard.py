"""The home page per role: what needs me now (issue 15).

- applicant: each application in progress with its status and what to do next; each licence
  with its next renewal deadline;
- first reviewer: the applications assigned to me that wait for my review;
- reception staff: submitted applications of my reception body without a first reviewer;
- secretariat: late renewals, overdue invoices, the next committee session and its agenda,
  applications waiting for the second review;
- committee member: the next session and its agenda.

Read-only; each section is computed only for the roles that see it. The apps are imported where
they are used (core does not depend on them at import time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ssmark.accounts.models import Role
from ssmark.core import clock


@dataclass
class Dashboard:
    applications: list[Any] = field(default_factory=list)
    licences: list[dict[str, Any]] = field(default_factory=list)
    to_review: list[Any] = field(default_factory=list)
    to_assign: list[Any] = field(default_factory=list)
    late_renewals: list[Any] = field(default_factory=list)
    overdue_invoices: int = 0
    next_session: Any = None
    next_session_items: list[Any] = field(default_factory=list)
    waiting_for_committee: int = 0
    show_applicant: bool = False
    show_reviewer: bool = False
    show_reception: bool = False
    show_secretariat: bool = False
    show_committee: bool = False

    @property
    def anything(self) -> bool:
        return any(
            (
                self.show_applicant,
                self.show_reviewer,
                self.show_reception,
                self.show_secretariat,
                self.show_committee,
            )
        )


def for_user(user: Any) -> Dashboard:
    dash = Dashboard()
    if not getattr(user, "is_authenticated", False):
        return dash
    if user.has_role(Role.APPLICANT) and user.organisation_id:
        _applicant(dash, user)
    if user.has_role(Role.FIRST_REVIEWER):
        _reviewer(dash, user)
    if user.has_role(Role.RECEPTION_STAFF) and user.organisation_id:
        _reception(dash, user)
    if user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR):
        _secretariat(dash)
    if user.has_role(Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR):
        _committee(dash)
    return dash


def _applicant(dash: Dashboard, user: Any) -> None:
    from ssmark.applications.models import ApplicationStatus
    from ssmark.applications.permissions import own_applications
    from ssmark.licences.models import VALID_STATUSES, Licence
    from ssmark.licences.services import renewal_dates

    dash.show_applicant = True
    ended = (
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.APPROVED,
        ApplicationStatus.FIRST_REVIEW_REJECTED,
        ApplicationStatus.COMMITTEE_REJECTED,
    )
    dash.applications = list(
        own_applications(user).exclude(status__in=ended).order_by("-updated")[:20]
    )
    today = clock.today()
    for lic in Licence.objects.filter(
        organisation_id=user.organisation_id, status__in=VALID_STATUSES
    ).order_by("valid_until"):
        opens, deadline = renewal_dates(lic)
        dash.licences.append(
            {
                "licence": lic,
                "window_opens": opens,
                "deadline": deadline,
                "window_open": opens <= today <= lic.valid_until,
                "days_left": (deadline - today).days,
            }
        )


def _reviewer(dash: Dashboard, user: Any) -> None:
    from ssmark.applications.models import ApplicationStatus
    from ssmark.reviews.permissions import queue_for

    dash.show_reviewer = True
    dash.to_review = list(
        queue_for(user)
        .filter(
            first_review__reviewer=user,
            status__in=(ApplicationStatus.IN_FIRST_REVIEW, ApplicationStatus.RESUBMITTED),
        )
        .order_by("submitted_on", "pk")[:50]
    )


def _reception(dash: Dashboard, user: Any) -> None:
    from ssmark.applications.models import ApplicationStatus
    from ssmark.reviews.permissions import queue_for

    dash.show_reception = True
    dash.to_assign = list(
        queue_for(user)
        .filter(
            reception_body_id=user.organisation_id,
            status=ApplicationStatus.SUBMITTED,
            first_review__isnull=True,
        )
        .order_by("submitted_on", "pk")[:50]
    )


def _secretariat(dash: Dashboard) -> None:
    from ssmark.fees.services import overdue_invoices
    from ssmark.licences.services import late_renewals

    dash.show_secretariat = True
    dash.late_renewals = late_renewals()  # the page shows how many: all of them count
    dash.overdue_invoices = overdue_invoices().count()


def _committee(dash: Dashboard) -> None:
    from ssmark.committee import services

    dash.show_committee = True
    session = services.next_planned_session()
    dash.next_session = session
    if session is not None:
        dash.next_session_items = list(
            session.items.select_related("application__organisation").order_by("position")
        )
    dash.waiting_for_committee = services.waiting_applications().count()
