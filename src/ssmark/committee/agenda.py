"""The secretariat arranges the agenda: moves an undecided application to another session (with
a reason in the audit trail) and deletes a session on which nothing was decided.

Like `services`, every function is keyword-only, checks the actor's role and the states inside
one transaction, writes the audit trail and raises `CommitteeError` (changing nothing) when the
request is refused.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import User
from ssmark.core.models import audit

from .models import AgendaItem, Session, SessionStatus
from .services import (
    ERROR_NOT_SECRETARIAT,
    ERROR_SESSION_NOT_OPEN_FOR_AGENDA,
    OPEN_FOR_AGENDA,
    CommitteeError,
    can_schedule,
    next_planned_session,
    place_on_agenda,
)

ERROR_MOVE_NEEDS_REASON = _("Give the reason for moving the application to another session.")
ERROR_ALREADY_DECIDED_NO_MOVE = _("A decided agenda item cannot be moved.")
ERROR_SAME_SESSION = _("The application is already on that session's agenda.")
ERROR_SESSION_HAS_DECISIONS = _(
    "A session on which decisions have been recorded cannot be deleted."
)
ERROR_SESSION_NOT_DELETABLE = _("Only a session that has not been held can be deleted.")


def movable_items(session: Session) -> QuerySet[AgendaItem]:
    """Undecided items on other sessions that are not closed: candidates to bring here."""
    return (
        AgendaItem.objects.filter(decision="", session__status__in=OPEN_FOR_AGENDA)
        .exclude(session=session)
        .select_related("session", "application__organisation")
        .order_by("session__date", "position")
    )


def target_sessions(item: AgendaItem) -> QuerySet[Session]:
    """The sessions an undecided item may move to: every other session not closed."""
    return (
        Session.objects.filter(status__in=OPEN_FOR_AGENDA)
        .exclude(pk=item.session_id)
        .order_by("date")
    )


def move_item(
    *, agenda_item: AgendaItem, to_session: Session, actor: User, reason: str
) -> AgendaItem:
    """Move an undecided agenda item to another session that is not closed (at the end of its
    agenda). The reason is recorded in the application's audit trail."""
    if not can_schedule(actor):
        raise CommitteeError(ERROR_NOT_SECRETARIAT)
    reason = (reason or "").strip()
    if not reason:
        raise CommitteeError(ERROR_MOVE_NEEDS_REASON)
    with transaction.atomic():
        item = (
            AgendaItem.objects.select_for_update().select_related("session").get(pk=agenda_item.pk)
        )
        if item.decision:
            raise CommitteeError(ERROR_ALREADY_DECIDED_NO_MOVE)
        target = Session.objects.select_for_update().get(pk=to_session.pk)
        if target.pk == item.session_id:
            raise CommitteeError(ERROR_SAME_SESSION)
        if target.status not in OPEN_FOR_AGENDA or item.session.status == SessionStatus.CLOSED:
            raise CommitteeError(ERROR_SESSION_NOT_OPEN_FOR_AGENDA)
        source = item.session
        last = target.items.aggregate(last=Max("position"))["last"] or 0
        item.session = target
        item.position = last + 1
        item.save(update_fields=["session", "position"])
        audit(
            actor=actor,
            action="ssmark.committee.agenda_moved",
            target=item.application,
            comment=reason,
            data={
                "agenda_item": item.pk,
                "from_session": source.pk,
                "from_date": source.date.isoformat(),
                "to_session": target.pk,
                "to_date": target.date.isoformat(),
            },
        )
    agenda_item.refresh_from_db()
    return agenda_item


def can_delete(session: Session) -> bool:
    return (
        session.status == SessionStatus.PLANNED and not session.items.exclude(decision="").exists()
    )


def delete_session(*, session: Session, actor: User, reason: str = "") -> list[AgendaItem]:
    """Delete a planned session on which nothing was decided. The applications on its agenda
    go back to waiting and join the next planned session's agenda (if there is one); returns
    their new agenda items."""
    if not can_schedule(actor):
        raise CommitteeError(ERROR_NOT_SECRETARIAT)
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        if current.items.exclude(decision="").exists():
            raise CommitteeError(ERROR_SESSION_HAS_DECISIONS)
        if current.status != SessionStatus.PLANNED:
            raise CommitteeError(ERROR_SESSION_NOT_DELETABLE)
        applications = [i.application for i in current.items.select_related("application")]
        audit(
            actor=actor,
            action="ssmark.committee.session_deleted",
            target=current,
            from_state=current.status,
            comment=(reason or "").strip(),
            data={
                "date": current.date.isoformat(),
                "applications": [a.pk for a in applications],
            },
        )
        current.items.all().delete()
        current.members.clear()
        current.delete()
        moved = []
        following = next_planned_session()
        if following is not None:
            for application in applications:
                item = place_on_agenda(application=application, actor=actor, session=following)
                if item is not None:
                    moved.append(item)
    return moved
