"""Workflows of the second review: scheduling sessions, the agenda, and the decisions.

Every function is keyword-only, checks the actor's role and the session's state, makes its
changes inside one transaction, writes the audit trail (`ssmark.committee.*`) and sends
`events.committee_decided` for decisions. Illegal requests raise `CommitteeError` (with one of
the module-level messages below) and change nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Role, User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.applications.states import transition
from ssmark.catalog.models import ReviewType
from ssmark.core import clock, events
from ssmark.core.models import audit
from ssmark.fees import services as fees
from ssmark.fees.schedule import schedule_for
from ssmark.licences.models import Licence, LicenceTerm
from ssmark.licences.services import (
    LicenceError,
    LicenceFeeUnpaid,
    issue_licence,
    renewal_ended,
)

from .calendar import session_calendar
from .models import AgendaDecision, AgendaItem, Session, SessionStatus
from .states import (
    ERROR_SESSION_CLOSED,
    ERROR_SESSION_NOT_HELD,
    ERROR_SESSION_NOT_PLANNED,
    CommitteeError,
)
from .states import TABLE as SESSION_STATES
from .states import transition as transition_session

ERROR_NOT_SECRETARIAT = _("Only the secretariat can schedule and change committee sessions.")
ERROR_NOT_ALLOWED_TO_RUN = _("Only the secretariat or the session's chair can open or close it.")
ERROR_NOT_ALLOWED_TO_DECIDE = _(
    "Only the secretariat or a committee member present at the session can record a decision."
)
ERROR_DATE_TAKEN = _("A session is already scheduled on that date.")
ERROR_PLACE_REQUIRED = _("Give the place of the session, or mark it as online.")
ERROR_NOT_A_MEMBER = _("%(name)s is not a committee member.")
ERROR_CHAIR_NOT_MEMBER = _("The chair must be a committee member.")
ERROR_CHAIR_NOT_PRESENT = _("The chair must be among the members present.")
ERROR_NO_MEMBERS = _("Record which committee members are present.")
ERROR_TOO_EARLY = _("To open a session before its date, give the reason.")
ERROR_DATE_IN_PAST = _("A session cannot be scheduled on a date in the past.")
ERROR_SESSION_NOT_OPEN_FOR_AGENDA = _(
    "Applications can only be added to a planned session or one being held."
)
# Sessions whose agenda may still change (applications added or moved there).
OPEN_FOR_AGENDA = (SessionStatus.PLANNED, SessionStatus.HELD)
ERROR_UNDECIDED_ITEMS = _(
    "Record a decision for every application on the agenda before closing the session."
)
ERROR_ALREADY_DECIDED = _("A decision has already been recorded for this agenda item.")
ERROR_NOT_AWAITING = _("This application is not waiting for the second review.")
ERROR_UNKNOWN_DECISION = _("Choose approved, rejected or deferred.")
ERROR_REASONS_REQUIRED = _("Give the reasons for a rejection or a deferral.")
ERROR_MEMBER_NOT_AT_SESSION = _("%(name)s is not recorded as present at this session.")
# The fee schedule's rule committee_decision_not_made_until_review_fee_paid; `reasons` names the
# unpaid invoice.
ERROR_FEE_UNPAID = _(
    "The committee cannot approve this application until the fee is paid: %(reasons)s"
)
ERROR_NO_LICENCE_WAITING = _(
    "This agenda item has no approved application waiting for its licence."
)

# Who sees committee pages (read-only unless a rule below allows more).
COMMITTEE_ROLES = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)


def can_view(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*COMMITTEE_ROLES)


def is_committee_secretariat(user: Any) -> bool:
    """Staff of the review committee's secretariat (審査委員会事務局, seed 002), which runs the
    committee sessions; the council's secretariat does not."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(Role.SECRETARIAT):
        return False
    org = getattr(user, "organisation", None)
    return bool(org is not None and org.is_committee_secretariat)


def can_schedule(user: Any) -> bool:
    return is_committee_secretariat(user)


def can_run(user: Any, session: Session) -> bool:
    """May open and close `session`: the committee secretariat, or the session's chair."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_committee_secretariat(user) or (
        user.has_role(Role.COMMITTEE_MEMBER) and session.chair_id == user.pk
    )


def can_decide(user: Any, session: Session) -> bool:
    """May record decisions at `session`: the secretariat, or a committee member who is the
    chair or among the members present."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_committee_secretariat(user):
        return True
    if not user.has_role(Role.COMMITTEE_MEMBER):
        return False
    return session.chair_id == user.pk or session.members.filter(pk=user.pk).exists()


def committee_members() -> QuerySet[User]:
    return (
        User.objects.filter(roles__role=Role.COMMITTEE_MEMBER, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def standing_chair(members: Sequence[User] = ()) -> User | None:
    """The review committee's standing chair (審査委員長, seed 002): the active committee member
    who holds the chair role, when there is one (and is among `members`, if they are given)."""
    chair = committee_members().filter(roles__role=Role.COMMITTEE_CHAIR).order_by("pk").first()
    if chair is None or (members and chair.pk not in {m.pk for m in members}):
        return None
    return chair


def _check_members(members: Iterable[User]) -> list[User]:
    checked = []
    for member in members:
        if not member.has_role(Role.COMMITTEE_MEMBER):
            raise CommitteeError(ERROR_NOT_A_MEMBER, {"name": member.display_name})
        checked.append(member)
    return checked


def _check_chair(chair: User | None, members: Sequence[User]) -> None:
    if chair is None:
        return
    if not chair.has_role(Role.COMMITTEE_MEMBER):
        raise CommitteeError(ERROR_CHAIR_NOT_MEMBER)
    if members and chair.pk not in {m.pk for m in members}:
        raise CommitteeError(ERROR_CHAIR_NOT_PRESENT)


# --- Schedule ---------------------------------------------------------------------------------


def proposed_dates(*, today: datetime.date | None = None) -> list[datetime.date]:
    """The next session dates the schedule proposes, after `today`, for months that have no
    session yet."""
    day = today or clock.today()
    taken = {
        (d.year, d.month)
        for d in Session.objects.filter(date__gt=day).values_list("date", flat=True)
    }
    return session_calendar().proposals_after(day, skip_months=taken)


def next_planned_session(*, after: datetime.date | None = None) -> Session | None:
    """The earliest planned session on or after today (or strictly after `after`)."""
    sessions = Session.objects.filter(status=SessionStatus.PLANNED)
    if after is not None:
        sessions = sessions.filter(date__gt=after)
    else:
        sessions = sessions.filter(date__gte=clock.today())
    return sessions.order_by("date").first()


def schedule_session(
    *,
    actor: User,
    date: datetime.date,
    start_time: datetime.time | None = None,
    place: str = "",
    online: bool = False,
    chair: User | None = None,
    members: Sequence[User] = (),
    notes: str = "",
) -> Session:
    """The secretariat schedules a session; applications waiting for the second review join
    the agenda of the next planned session (this one, if it is the next)."""
    if not can_schedule(actor):
        raise CommitteeError(ERROR_NOT_SECRETARIAT)
    if date < clock.today():
        raise CommitteeError(ERROR_DATE_IN_PAST)
    place = place.strip()
    if not place and not online:
        raise CommitteeError(ERROR_PLACE_REQUIRED)
    checked = _check_members(members)
    # Chaired by the standing chair unless the secretariat names another (a deputy).
    chair = chair or standing_chair(checked)
    _check_chair(chair, checked)
    with transaction.atomic():
        if Session.objects.filter(date=date).exists():
            raise CommitteeError(ERROR_DATE_TAKEN)
        session = Session.objects.create(
            date=date,
            start_time=start_time if start_time is not None else session_calendar().default_time,
            place=place,
            online=online,
            chair=chair,
            notes=notes,
            created_by=actor,
        )
        session.members.set(checked)
        audit(
            actor=actor,
            action="ssmark.committee.session_scheduled",
            target=session,
            to_state=session.status,
            data={
                "date": date.isoformat(),
                "place": place,
                "online": online,
                "chair": chair.pk if chair else None,
                "members": [m.pk for m in checked],
            },
        )
        place_waiting_applications(actor=actor)
    return session


def update_session(
    *,
    session: Session,
    actor: User,
    date: datetime.date,
    start_time: datetime.time | None,
    place: str,
    online: bool,
    chair: User | None,
    members: Sequence[User],
    notes: str = "",
) -> Session:
    """Change a session's details. The date only while planned; nothing once closed."""
    if not can_schedule(actor):
        raise CommitteeError(ERROR_NOT_SECRETARIAT)
    place = place.strip()
    if not place and not online:
        raise CommitteeError(ERROR_PLACE_REQUIRED)
    checked = _check_members(members)
    _check_chair(chair, checked)
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        if current.status == SessionStatus.CLOSED:
            raise CommitteeError(ERROR_SESSION_CLOSED)
        if date != current.date:
            if current.status != SessionStatus.PLANNED:
                raise CommitteeError(ERROR_SESSION_NOT_PLANNED)
            if date < clock.today():
                raise CommitteeError(ERROR_DATE_IN_PAST)
            if Session.objects.filter(date=date).exclude(pk=current.pk).exists():
                raise CommitteeError(ERROR_DATE_TAKEN)
        if current.status == SessionStatus.HELD and not checked:
            raise CommitteeError(ERROR_NO_MEMBERS)
        before = {
            "date": current.date.isoformat(),
            "place": current.place,
            "online": current.online,
            "chair": current.chair_id,
            "members": sorted(current.members.values_list("pk", flat=True)),
        }
        current.date, current.start_time, current.place = date, start_time, place
        current.online, current.chair, current.notes = online, chair, notes
        current.save()
        current.members.set(checked)
        audit(
            actor=actor,
            action="ssmark.committee.session_updated",
            target=current,
            data={
                "before": before,
                "after": {
                    "date": date.isoformat(),
                    "place": place,
                    "online": online,
                    "chair": chair.pk if chair else None,
                    "members": sorted(m.pk for m in checked),
                },
            },
        )
    session.refresh_from_db()
    return session


def open_session(
    *, session: Session, actor: User, today: datetime.date | None = None, reason: str = ""
) -> Session:
    """Open a planned session: on or after its date, or before it with a written reason
    (recorded in the audit trail). Decisions can then be recorded."""
    reason = reason.strip()
    if not can_run(actor, session):
        raise CommitteeError(ERROR_NOT_ALLOWED_TO_RUN)
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        SESSION_STATES.check(current.status, SessionStatus.HELD)
        early = current.date > (today or clock.today())
        if early and not reason:
            raise CommitteeError(ERROR_TOO_EARLY)
        if not current.members.exists():
            raise CommitteeError(ERROR_NO_MEMBERS)
        transition_session(
            current,
            to_status=SessionStatus.HELD,
            actor=actor,
            action="ssmark.committee.session_opened",
            comment=reason,
            data={"date": current.date.isoformat(), "early": early},
        )
    session.refresh_from_db()
    return session


def close_session(*, session: Session, actor: User) -> Session:
    """Close a session once every application on its agenda has a decision."""
    if not can_run(actor, session):
        raise CommitteeError(ERROR_NOT_ALLOWED_TO_RUN)
    with transaction.atomic():
        current = Session.objects.select_for_update().get(pk=session.pk)
        SESSION_STATES.check(current.status, SessionStatus.CLOSED)
        if current.items.filter(decision="").exists():
            raise CommitteeError(ERROR_UNDECIDED_ITEMS)
        transition_session(
            current,
            to_status=SessionStatus.CLOSED,
            actor=actor,
            action="ssmark.committee.session_closed",
        )
    session.refresh_from_db()
    return session


# --- Agenda -----------------------------------------------------------------------------------


def waiting_applications() -> QuerySet[Application]:
    """Applications that passed the first review and are on no agenda awaiting a decision."""
    return (
        Application.objects.filter(status=ApplicationStatus.FIRST_REVIEW_PASSED)
        .exclude(agenda_items__decision="")
        .select_related("organisation", "reception_body")
        .order_by("id")
    )


def place_on_agenda(
    *, application: Application, actor: User | None, session: Session | None = None
) -> AgendaItem | None:
    """Put an application that passed the first review on the agenda of `session` (default:
    the next planned session). Returns its pending agenda item, or None when no session is
    planned yet (it then joins when the secretariat schedules one). Idempotent."""
    with transaction.atomic():
        current = Application.objects.select_for_update().get(pk=application.pk)
        if current.status != ApplicationStatus.FIRST_REVIEW_PASSED:
            raise CommitteeError(ERROR_NOT_AWAITING)
        pending = AgendaItem.objects.filter(application=application, decision="").first()
        if pending is not None:
            return pending
        target = session or next_planned_session()
        if target is None:
            return None
        target = Session.objects.select_for_update().get(pk=target.pk)
        if target.status not in OPEN_FOR_AGENDA:
            raise CommitteeError(ERROR_SESSION_NOT_OPEN_FOR_AGENDA)
        # An application deferred while no later session existed keeps its history.
        deferred = (
            AgendaItem.objects.filter(
                application=application,
                decision=AgendaDecision.DEFERRED,
                carried_to__isnull=True,
            )
            .order_by("-session__date")
            .first()
        )
        last = target.items.aggregate(last=Max("position"))["last"] or 0
        item = AgendaItem.objects.create(
            session=target, application=application, position=last + 1, carried_from=deferred
        )
        audit(
            actor=actor,
            action="ssmark.committee.agenda_added",
            target=application,
            data={
                "session": target.pk,
                "date": target.date.isoformat(),
                "agenda_item": item.pk,
                "carried_from": deferred.pk if deferred else None,
            },
        )
    return item


def place_waiting_applications(*, actor: User | None) -> list[AgendaItem]:
    """Put every application waiting for the second review on the next planned session's
    agenda (for applications that passed before any session was planned)."""
    if next_planned_session() is None:
        return []
    items = []
    for application in waiting_applications():
        item = place_on_agenda(application=application, actor=actor)
        if item is not None:
            items.append(item)
    return items


# --- Decisions --------------------------------------------------------------------------------


class CommitteeFeeUnpaid(CommitteeError, fees.FeeUnpaid):
    """The committee may not approve yet: an unpaid fee holds it up (`blocks` says which)."""


def decision_fee_blocks(application: Application) -> list[fees.UnpaidBlock]:
    """What unpaid fees hold up approving `application` (the fee schedule's rule
    committee_decision_not_made_until_review_fee_paid); empty when nothing does."""
    return fees.unpaid_blocks(action=fees.BlockedAction.COMMITTEE_DECISION, application=application)


def licence_waiting(application: Application) -> bool:
    """Approved, but its licence has not been issued (held up by an unpaid fee)."""
    return (
        application.status == ApplicationStatus.APPROVED
        and not LicenceTerm.objects.filter(application=application).exists()
    )


def licence_fee_blocks(application: Application) -> list[fees.UnpaidBlock]:
    """For an approved application still waiting for its licence: the unpaid fees that hold
    the licence up (empty once they are paid, or when no licence is waiting)."""
    from ssmark.licences.services import fee_blocks

    if not licence_waiting(application):
        return []
    return fee_blocks(application)


@transaction.atomic
def record_decision(
    *,
    agenda_item: AgendaItem,
    decision: str,
    reasons: str,
    actor: User,
    members_present: Sequence[User],
) -> AgendaItem:
    """Record the committee's decision on one application at a session being held.

    approved: the application becomes approved and its licence is issued (numbered by the
    licences app); rejected (reasons required): committee_rejected; deferred (reasons
    required): it stays first_review_passed and joins the next planned session's agenda.
    """
    session = Session.objects.select_for_update().get(pk=agenda_item.session_id)
    if not can_decide(actor, session):
        raise CommitteeError(ERROR_NOT_ALLOWED_TO_DECIDE)
    if session.status != SessionStatus.HELD:
        raise CommitteeError(ERROR_SESSION_NOT_HELD)
    item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    if item.decision:
        raise CommitteeError(ERROR_ALREADY_DECIDED)
    if decision not in AgendaDecision.values:
        raise CommitteeError(ERROR_UNKNOWN_DECISION)
    reasons = reasons.strip()
    if decision in (AgendaDecision.REJECTED, AgendaDecision.DEFERRED) and not reasons:
        raise CommitteeError(ERROR_REASONS_REQUIRED)
    members = _check_members(members_present)
    if not members:
        raise CommitteeError(ERROR_NO_MEMBERS)
    at_session = set(session.members.values_list("pk", flat=True))
    for member in members:
        if member.pk not in at_session:
            raise CommitteeError(ERROR_MEMBER_NOT_AT_SESSION, {"name": member.display_name})
    application = Application.objects.select_for_update().get(pk=item.application_id)
    if application.status != ApplicationStatus.FIRST_REVIEW_PASSED:
        raise CommitteeError(ERROR_NOT_AWAITING)
    if decision == AgendaDecision.APPROVED:
        fees.refuse_if_unpaid(
            action=fees.BlockedAction.COMMITTEE_DECISION,
            application=application,
            message=ERROR_FEE_UNPAID,
            refusal=CommitteeFeeUnpaid,
        )

    item.decision = decision
    item.reasons = reasons
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.save(update_fields=["decision", "reasons", "decided_at", "decided_by"])
    item.members_present.set(members)
    data = {
        "session": session.pk,
        "date": session.date.isoformat(),
        "agenda_item": item.pk,
        "members_present": sorted(m.pk for m in members),
    }
    action = f"ssmark.committee.{decision}"
    if decision == AgendaDecision.APPROVED:
        transition(
            application,
            to_status=ApplicationStatus.APPROVED,
            actor=actor,
            action=action,
            comment=reasons,
            data=data,
        )
    elif decision == AgendaDecision.REJECTED:
        transition(
            application,
            to_status=ApplicationStatus.COMMITTEE_REJECTED,
            actor=actor,
            action=action,
            comment=reasons,
            data=data,
        )
    else:
        audit(actor=actor, action=action, target=application, comment=reasons, data=data)
    # Fan-out only (notifications); none of the steps below depends on it.
    events.committee_decided.send(
        sender=Application,
        application=application,
        decision=decision,
        reason=reasons,
        actor=actor,
    )
    # The steps that follow the decision, in order, in this transaction.
    if decision == AgendaDecision.APPROVED:
        _invoice_first_annual_fee_at_approval(application, actor=actor)
        try:
            _issue_licence(application, actor=actor, approved_on=session.date)
        except LicenceFeeUnpaid as exc:
            # The fee schedule holds the licence up until a fee is paid. The approval stands;
            # the licence is issued from the agenda item once it is paid (issue_waiting_licence).
            audit(
                actor=actor,
                action="ssmark.committee.licence_waiting_for_fee",
                target=application,
                data={
                    **data,
                    "rules": sorted({b.rule for b in exc.blocks}),
                    "invoices": [b.invoice.number for b in exc.blocks if b.invoice],
                },
            )
        except LicenceError as exc:
            # Raised inside this transaction: the decision and the transition roll back too.
            raise CommitteeError(exc.message, exc.params, code=exc.code) from exc
    elif decision == AgendaDecision.REJECTED:
        renewal_ended(application=application, actor=actor)
    else:
        following = next_planned_session(after=session.date)
        if following is not None:
            place_on_agenda(application=application, actor=actor, session=following)
    agenda_item.refresh_from_db()
    return agenda_item


def _invoice_first_annual_fee_at_approval(application: Application, *, actor: User) -> None:
    """A new licence that the fee schedule holds up until the first annual fee is paid: invoice
    that fee now, at the approval, so it can be paid before the licence is issued."""
    if application.review_type != ReviewType.NEW:
        return
    today = clock.today()
    if schedule_for(today).blocks(application.scheme, "licence_not_issued_until_annual_fee_paid"):
        fees.raise_first_annual_fee(application=application, start=today, actor=actor)


def _issue_licence(application: Application, *, actor: User, approved_on: datetime.date) -> Licence:
    """Issue the approved application's licence, then invoice a new licence's first annual fee,
    due one month from the pass notice's deemed receipt (nothing when it was invoiced at the
    approval). Refusals (LicenceFeeUnpaid, LicenceError) propagate to the caller."""
    licence = issue_licence(application=application, actor=actor, approved_on=approved_on)
    if application.review_type == ReviewType.NEW:
        term = LicenceTerm.objects.get(application=application)
        if term.notice_received_on > clock.today():
            # Not received yet: invoiced when the holder confirms receipt, or on the deemed
            # date (licences.services.receipt; issue 9.9).
            return licence
        fees.raise_first_annual_fee(
            application=application, licence=licence, start=term.notice_received_on, actor=actor
        )
    return licence


def issue_waiting_licence(*, agenda_item: AgendaItem, actor: User) -> Any:
    """Issue the licence of an application the committee approved at this agenda item, which
    was held up by an unpaid fee (see record_decision), dated the session's date. Refused with
    the fee's message while it is still unpaid; changes nothing then."""
    with transaction.atomic():
        item = AgendaItem.objects.select_related("session").get(pk=agenda_item.pk)
        application = Application.objects.select_for_update().get(pk=item.application_id)
        if item.decision != AgendaDecision.APPROVED or not licence_waiting(application):
            raise CommitteeError(ERROR_NO_LICENCE_WAITING)
        try:
            return _issue_licence(application, actor=actor, approved_on=item.session.date)
        except LicenceError as exc:
            raise CommitteeError(exc.message, exc.params, code=exc.code) from exc
