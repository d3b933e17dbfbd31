"""Licence workflows: issue and renew, start a renewal, status changes, the daily job, incidents.

Every function here checks the actor's role and the licence's state, changes inside
`transaction.atomic()`, writes an audit entry and sends the matching `ssmark.core.events`
signal (inside the transaction, so fees and notifications commit or roll back with it).

Licence numbers: the reception body's letter (J = JAIPA, T = TELESA, D = TCA) and the next value
of ONE counter shared by all bodies, zero-padded to 4 digits (scheme.yaml). One counter rather
than one per body because the scheme publishes one list "in licence-number order" (seed 002
numbers it 1–112 without letters): ordering by the digits is grant order across the bodies, and
no two licences share digits (J0072 and T0072 cannot both exist). The counter row is locked
(SELECT … FOR UPDATE; on SQLite the IMMEDIATE write transaction serialises writers) for the
transaction that creates the licence, so two approvals at the same moment get consecutive
numbers, a rolled-back approval leaves no gap, and a number is never handed out twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Role
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet, ReviewType
from ssmark.core import events
from ssmark.core.models import audit

from . import scheme as scheme_settings
from .models import (
    VALID_STATUSES,
    Ground,
    IncidentReport,
    IncidentStatus,
    Investigation,
    Licence,
    LicenceCounter,
    LicenceStatus,
    LicenceTerm,
    Recommendation,
    RecommendationResponse,
    ReminderKind,
    RenewalLink,
    RenewalReminder,
    StatusChange,
    TermKind,
)

if TYPE_CHECKING:
    from ssmark.fees.services import UnpaidBlock

S = LicenceStatus
COUNTER_NAME = "licence"

ERROR_NOT_ALLOWED = _("You are not allowed to do this.")
ERROR_NOT_APPROVED = _("Only an application the committee has approved can be given a licence.")
ERROR_ALREADY_ISSUED = _("A licence has already been issued for this application.")
ERROR_NO_LETTER = _("The reception body of this application has no licence-number letter.")
ERROR_RENEWAL_UNLINKED = _("This renewal application is not linked to a licence.")
ERROR_REVOKED = _("This licence has been revoked; it cannot be renewed.")
ERROR_ILLEGAL_STATUS = _("A licence cannot go from “%(from)s” to “%(to)s”.")
ERROR_REASON_REQUIRED = _("Give the reason.")
ERROR_GROUND_REQUIRED = _("Choose the ground from the scheme's rules.")
ERROR_RENEWAL_STATUS = _("Only an active or suspended licence can be renewed.")
ERROR_RENEWAL_TOO_EARLY = _("The renewal window for this licence opens on %(date)s.")
ERROR_RENEWAL_EXISTS = _("A renewal application for this licence is already in progress.")
ERROR_NO_CRITERIA_SET = _("No criteria set is in force for this scheme.")
ERROR_INCIDENT_CLOSED = _("This incident is closed.")
ERROR_TEXT_REQUIRED = _("This field is required.")
ERROR_INCIDENT_DATE = _("The incident date cannot be in the future.")
# Refusals by the fee schedule's blocking rules (ssmark.fees.services.unpaid_blocks); `reasons`
# names the unpaid invoice(s).
ERROR_LICENCE_FEE_UNPAID = _("The licence cannot be issued until the fee is paid: %(reasons)s")
ERROR_RENEWAL_FEE_OVERDUE = _(
    "The renewal cannot be granted while a fee of the licence is overdue: %(reasons)s"
)

# Who may do what (roles of ssmark.accounts.models.Role).
ISSUERS = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)
COUNCIL = (Role.SECRETARIAT, Role.ADMINISTRATOR)  # suspend, revoke, reinstate
INVESTIGATORS = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)
OVERSEERS = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)

# Allowed status changes (a revoked licence stays revoked).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.ACTIVE: frozenset({S.RENEWAL_PENDING, S.SUSPENDED, S.REVOKED, S.LAPSED}),
    S.RENEWAL_PENDING: frozenset({S.ACTIVE, S.SUSPENDED, S.REVOKED, S.LAPSED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.RENEWAL_PENDING, S.REVOKED, S.LAPSED}),
    S.LAPSED: frozenset({S.ACTIVE}),  # a renewal applied for in time but approved late
    S.REVOKED: frozenset(),
}
# Application states in which a renewal is no longer in progress.
ENDED_APPLICATION_STATES = frozenset(
    {
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.FIRST_REVIEW_REJECTED,
        ApplicationStatus.COMMITTEE_REJECTED,
        ApplicationStatus.APPROVED,
    }
)


class LicenceError(Exception):
    """A workflow rule refused the change; the message is one of the ERROR_ constants."""


class LicenceFeeUnpaid(LicenceError):
    """issue_licence was refused because of an unpaid (or overdue) fee; `blocks` says which."""

    def __init__(self, message: str, blocks: list[UnpaidBlock]) -> None:
        super().__init__(message)
        self.blocks = blocks


def fee_blocks(application: Application) -> list[UnpaidBlock]:
    """What unpaid fees hold up the licence of the approved `application`, by the fee
    schedule's rules: a new licence waits for the first annual fee
    (licence_not_issued_until_annual_fee_paid); a renewal is not granted while an annual fee of
    the licence is overdue (renewal_not_granted_while_annual_fee_overdue). Empty: nothing."""
    from ssmark.fees.services import BlockedAction, unpaid_blocks

    if application.review_type == ReviewType.RENEWAL:
        link = RenewalLink.objects.filter(application=application).select_related("licence")
        found = link.first()
        if found is None:
            return []  # refused as unlinked by issue_licence
        return unpaid_blocks(action=BlockedAction.GRANT_RENEWAL, licence=found.licence)
    return unpaid_blocks(action=BlockedAction.ISSUE_LICENCE, application=application)


def _refuse_unpaid(application: Application) -> None:
    blocks = fee_blocks(application)
    if not blocks:
        return
    reasons = " ".join(b.message for b in blocks)
    if application.review_type == ReviewType.RENEWAL:
        raise LicenceFeeUnpaid(str(ERROR_RENEWAL_FEE_OVERDUE % {"reasons": reasons}), blocks)
    raise LicenceFeeUnpaid(str(ERROR_LICENCE_FEE_UNPAID % {"reasons": reasons}), blocks)


def _has_role(actor: Any, roles: tuple[str, ...]) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False)) and bool(
        actor.has_role(*roles)
    )


def _require(actor: Any, roles: tuple[str, ...]) -> None:
    if not _has_role(actor, roles):
        raise PermissionDenied(ERROR_NOT_ALLOWED)


def is_holder(user: Any, licence: Licence) -> bool:
    """A member of the licensed company (applicant role)."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.organisation_id is not None
        and user.organisation_id == licence.organisation_id
        and user.has_role(Role.APPLICANT)
    )


def can_view(user: Any, licence: Licence) -> bool:
    """Who may see a licence's own pages (beyond the public verification page): the holder's
    members, the committee, the secretariat, administrators, and the staff of the reception
    body that handled it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_holder(user, licence) or user.has_role(*OVERSEERS):
        return True
    return (
        user.has_role(Role.RECEPTION_STAFF, Role.FIRST_REVIEWER)
        and user.organisation_id == licence.reception_body_id
    )


def can_manage_status(user: Any) -> bool:
    return _has_role(user, COUNCIL)


def visible_licences(user: Any) -> Any:
    """The licences `user` may see on the signed-in pages (a queryset)."""
    qs = Licence.objects.select_related("organisation", "reception_body")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(*OVERSEERS):
        return qs
    cond = Q(pk__in=[])
    if user.has_role(Role.APPLICANT) and user.organisation_id:
        cond |= Q(organisation_id=user.organisation_id)
    if user.has_role(Role.RECEPTION_STAFF, Role.FIRST_REVIEWER) and user.organisation_id:
        cond |= Q(reception_body_id=user.organisation_id)
    return qs.filter(cond)


# --- Numbering --------------------------------------------------------------------------------


def format_number(letter: str, serial: int) -> str:
    return f"{letter}{serial:0{scheme_settings.settings().number_digits}d}"


def _next_serial() -> int:
    """Take the next value of the one counter. Call inside the licence's transaction: the
    counter row stays locked until it commits (or rolls back, giving the value back)."""
    counter = LicenceCounter.objects.select_for_update().filter(name=COUNTER_NAME).first()
    if counter is None:
        # The row is made by migration 0003; recreate it if a flush removed it. Two first
        # callers at once: the loser's INSERT fails and it takes the winner's row instead.
        try:
            with transaction.atomic():
                LicenceCounter.objects.create(name=COUNTER_NAME, value=0)
        except IntegrityError:
            pass
        counter = LicenceCounter.objects.select_for_update().get(name=COUNTER_NAME)
    # Never below a serial already in use (licences loaded without the counter, e.g. imports).
    highest = Licence.objects.aggregate(m=Max("serial"))["m"] or 0
    counter.value = max(counter.value, highest) + 1
    counter.save(update_fields=["value"])
    return counter.value


def bump_counter_to(value: int) -> None:
    """Make sure the counter is at least `value` (after importing numbered licences)."""
    with transaction.atomic():
        counter, _created = LicenceCounter.objects.select_for_update().get_or_create(
            name=COUNTER_NAME
        )
        if counter.value < value:
            counter.value = value
            counter.save(update_fields=["value"])


# --- Issue and renew --------------------------------------------------------------------------


def _invalidate_later(licence: Licence) -> None:
    # The public endpoints read the row on every request (no server-side cache), so there is
    # nothing to invalidate; this hook is where a shared cache would be cleared on commit.
    return None


def _record_status(
    licence: Licence,
    *,
    to_status: str,
    actor: Any,
    action: str,
    reason: str = "",
    ground: str = "",
) -> None:
    from_status = licence.status
    if to_status not in TRANSITIONS[from_status]:
        raise LicenceError(
            ERROR_ILLEGAL_STATUS % {"from": S(from_status).label, "to": S(to_status).label}
        )
    licence.status = to_status
    licence.save(update_fields=["status", "updated"])
    StatusChange.objects.create(
        licence=licence,
        from_status=from_status,
        to_status=to_status,
        ground=ground,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(
        actor=actor,
        action=action,
        target=licence,
        from_state=from_status,
        to_state=to_status,
        comment=reason,
        data={"number": licence.number, "ground": ground} if ground else {"number": licence.number},
    )
    events.licence_status_changed.send(
        sender=Licence,
        licence=licence,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor=actor,
    )
    _invalidate_later(licence)


def issue_licence(*, application: Application, actor: Any, approved_on: datetime.date) -> Licence:
    """Give an approved application its licence (new) or extend its licence (renewal).

    Call after the application has been transitioned to `approved`, in the same transaction
    (the committee does this). New: the next number with the reception body's letter, valid
    from `approved_on` for the scheme's validity period. Renewal: the same number; the new
    period starts the day after the old one ends (or on `approved_on` if that is later, when
    the licence had already lapsed) and the licence is active again (a suspended one stays
    suspended). Either way a pass notice is dated `approved_on` and deemed received
    `deemed_received_days` later; `licence_issued` carries that date.

    Refused with `LicenceFeeUnpaid` (changing nothing) while the fee schedule's blocking rules
    hold it up (`fee_blocks`): a new licence until the first annual fee is paid, a renewal while
    an annual fee of the licence is overdue.
    """
    _require(actor, ISSUERS)
    conf = scheme_settings.settings()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("reception_body", "organisation")
            .get(pk=application.pk)
        )
        if app.status != ApplicationStatus.APPROVED:
            raise LicenceError(ERROR_NOT_APPROVED)
        if LicenceTerm.objects.filter(application=app).exists():
            raise LicenceError(ERROR_ALREADY_ISSUED)
        _refuse_unpaid(app)
        notice_received_on = conf.notice_received_on(approved_on)
        if app.review_type == ReviewType.RENEWAL:
            licence = _renew(app, actor=actor, approved_on=approved_on, conf=conf)
            kind, action = TermKind.RENEWAL, "ssmark.licence.renewed"
        else:
            licence = _create(app, approved_on=approved_on, conf=conf)
            kind, action = TermKind.NEW, "ssmark.licence.issued"
        term = LicenceTerm.objects.create(
            licence=licence,
            kind=kind,
            application=app,
            approved_on=approved_on,
            valid_from=licence.valid_from,
            valid_until=licence.valid_until,
            notice_date=approved_on,
            notice_received_on=notice_received_on,
            issued_by=actor,
        )
        audit(
            actor=actor,
            action=action,
            target=licence,
            to_state=licence.status,
            data={
                "number": licence.number,
                "application": app.pk,
                "term": term.pk,
                "valid_from": licence.valid_from.isoformat(),
                "valid_until": licence.valid_until.isoformat(),
                "notice_received_on": notice_received_on.isoformat(),
            },
        )
        events.licence_issued.send(
            sender=Licence,
            licence=licence,
            application=app,
            notice_received_on=notice_received_on,
            actor=actor,
        )
        _invalidate_later(licence)
    return licence


def _create(app: Application, *, approved_on: datetime.date, conf: Any) -> Licence:
    letter = app.reception_body.licence_letter
    if not letter:
        raise LicenceError(ERROR_NO_LETTER)
    serial = _next_serial()
    licence = Licence(
        number=format_number(letter, serial),
        serial=serial,
        organisation=app.organisation,
        service_name=app.service_name,
        scheme=app.scheme,
        reception_body=app.reception_body,
        application=app,
        status=S.ACTIVE,
        first_granted_on=approved_on,
        valid_from=approved_on,
        valid_until=conf.valid_until(approved_on),
    )
    licence.refresh_search_key()
    licence.save()
    return licence


def _renew(app: Application, *, actor: Any, approved_on: datetime.date, conf: Any) -> Licence:
    link = RenewalLink.objects.filter(application=app).first()
    if link is None:
        raise LicenceError(ERROR_RENEWAL_UNLINKED)
    licence = (
        Licence.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=link.licence_id)
    )
    if licence.status == S.REVOKED:
        raise LicenceError(ERROR_REVOKED)
    valid_from = max(licence.valid_until + datetime.timedelta(days=1), approved_on)
    licence.valid_from = valid_from
    licence.valid_until = conf.valid_until(valid_from)
    licence.application = app
    licence.service_name = app.service_name
    licence.refresh_search_key()
    licence.save()
    if licence.status in (S.RENEWAL_PENDING, S.LAPSED):
        _record_status(
            licence, to_status=S.ACTIVE, actor=actor, action="ssmark.licence.renewal_approved"
        )
    return licence


# --- Renewal applications ---------------------------------------------------------------------


def current_criteria_set(scheme: str, on: datetime.date) -> CriteriaSet | None:
    """The criteria set in force for `scheme` on `on` (the catalog's rule)."""
    from ssmark.catalog.services import current_set

    return current_set(scheme, on)


def open_renewal(licence: Licence) -> RenewalLink | None:
    """The renewal application in progress for the licence's current period, if any."""
    return (
        RenewalLink.objects.filter(licence=licence, renews_until=licence.valid_until)
        .exclude(application__status__in=ENDED_APPLICATION_STATES)
        .select_related("application")
        .first()
    )


def renewal_dates(licence: Licence) -> tuple[datetime.date, datetime.date]:
    """(window opens, deadline) for the licence's current period."""
    conf = scheme_settings.settings()
    return conf.renewal_window_opens(licence.valid_until), conf.renewal_deadline(
        licence.valid_until
    )


def can_start_renewal(user: Any, licence: Licence) -> bool:
    """The holder's members start renewals (the application is theirs to fill in)."""
    return is_holder(user, licence)


def start_renewal(
    *, licence: Licence, actor: Any, today: datetime.date | None = None
) -> Application:
    """Create the renewal application for the licence's current period and mark the licence
    "renewal pending" (a suspended one stays suspended).

    The application is made by `ssmark.applications.services.create_application` (review type
    renewal, the criteria set in force today, the reception body that handled the licence)
    with `renew_from` = the application the licence was last granted on: its answers are
    carried over, each marked `carried_over` ("carried over — check again"), matched by item
    code since the set in force may be newer. What that function carries over is the
    applications app's rule (answers with their web addresses, files and signed declarations,
    the files shared by stored name, not copied; audits of the last 12 months; never scan
    reports; see docs/licences.md)."""
    from ssmark.applications.services import create_application

    if not can_start_renewal(actor, licence):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    today = today or timezone.localdate()
    with transaction.atomic():
        lic = (
            Licence.objects.select_for_update(of=("self",))
            .select_related("reception_body", "application")
            .get(pk=licence.pk)
        )
        if lic.status not in (S.ACTIVE, S.RENEWAL_PENDING, S.SUSPENDED):
            raise LicenceError(ERROR_RENEWAL_STATUS)
        if open_renewal(lic) is not None:
            raise LicenceError(ERROR_RENEWAL_EXISTS)
        opens, _deadline = renewal_dates(lic)
        if today < opens:
            raise LicenceError(ERROR_RENEWAL_TOO_EARLY % {"date": opens.isoformat()})
        if current_criteria_set(lic.scheme, today) is None:
            raise LicenceError(ERROR_NO_CRITERIA_SET)
        previous = lic.application
        app = create_application(
            actor=actor,
            service_name=lic.service_name,
            reception_body=lic.reception_body,
            scheme=lic.scheme,
            review_type=ReviewType.RENEWAL,
            responsible_manager=previous.responsible_manager if previous else "",
            responsible_manager_email=previous.responsible_manager_email if previous else "",
            pim_manager=previous.pim_manager if previous else "",
            pim_manager_email=previous.pim_manager_email if previous else "",
            renew_from=previous,
            today=today,
        )
        RenewalLink.objects.create(application=app, licence=lic, renews_until=lic.valid_until)
        audit(
            actor=actor,
            action="ssmark.licence.renewal_started",
            target=lic,
            data={
                "application": app.pk,
                "renews_until": lic.valid_until.isoformat(),
                "renew_from": previous.pk if previous else None,
                "answers_carried_over": app.answers.filter(carried_over=True).count(),
            },
        )
        if lic.status == S.ACTIVE:
            _record_status(
                lic,
                to_status=S.RENEWAL_PENDING,
                actor=actor,
                action="ssmark.licence.renewal_pending",
            )
    return app


def renewal_ended(*, application: Application, actor: Any) -> None:
    """A renewal application was withdrawn or rejected: its licence is active again (until it
    lapses at the end of its period, unless another renewal is started)."""
    link = RenewalLink.objects.filter(application=application).first()
    if link is None:
        return
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=link.licence_id)
        if lic.status == S.RENEWAL_PENDING and open_renewal(lic) is None:
            _record_status(
                lic,
                to_status=S.ACTIVE,
                actor=actor,
                action="ssmark.licence.renewal_ended",
                reason=str(ApplicationStatus(application.status).label),
            )


# --- Suspension, revocation, reinstatement ----------------------------------------------------


def _check_ground(ground: str, reason: str) -> str:
    if ground not in Ground.values:
        raise LicenceError(ERROR_GROUND_REQUIRED)
    reason = (reason or "").strip()
    if not reason:
        raise LicenceError(ERROR_REASON_REQUIRED)
    return reason


def suspend_licence(*, licence: Licence, actor: Any, ground: str, reason: str) -> Licence:
    """Suspend a valid licence on one of the scheme's grounds, with a written reason."""
    _require(actor, COUNCIL)
    reason = _check_ground(ground, reason)
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=licence.pk)
        if lic.status not in VALID_STATUSES:
            raise LicenceError(
                ERROR_ILLEGAL_STATUS % {"from": S(lic.status).label, "to": S.SUSPENDED.label}
            )
        _record_status(
            lic,
            to_status=S.SUSPENDED,
            actor=actor,
            action="ssmark.licence.suspended",
            reason=reason,
            ground=ground,
        )
    return lic


def revoke_licence(*, licence: Licence, actor: Any, ground: str, reason: str) -> Licence:
    """Revoke a licence (valid or suspended) on one of the scheme's grounds, with a reason.
    Final: a revoked licence cannot be reinstated or renewed; its number is not reused."""
    _require(actor, COUNCIL)
    reason = _check_ground(ground, reason)
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=licence.pk)
        _record_status(
            lic,
            to_status=S.REVOKED,
            actor=actor,
            action="ssmark.licence.revoked",
            reason=reason,
            ground=ground,
        )
    return lic


def reinstate_licence(*, licence: Licence, actor: Any, reason: str) -> Licence:
    """Lift a suspension: back to active (or renewal pending if a renewal is in progress)."""
    _require(actor, COUNCIL)
    reason = (reason or "").strip()
    if not reason:
        raise LicenceError(ERROR_REASON_REQUIRED)
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=licence.pk)
        if lic.status != S.SUSPENDED:
            raise LicenceError(
                ERROR_ILLEGAL_STATUS % {"from": S(lic.status).label, "to": S.ACTIVE.label}
            )
        target = S.RENEWAL_PENDING if open_renewal(lic) is not None else S.ACTIVE
        _record_status(
            lic, to_status=target, actor=actor, action="ssmark.licence.reinstated", reason=reason
        )
    return lic


# --- The daily job: lapse and reminders -------------------------------------------------------


@dataclass
class DailyReport:
    lapsed: list[str] = field(default_factory=list)
    reminders: list[tuple[str, str, datetime.date]] = field(default_factory=list)


LAPSE_REASON = _("The validity period ended without an approved renewal.")


def lapse_expired(*, today: datetime.date) -> list[str]:
    """Lapse every licence whose period ended before `today` (a renewal approved in time has
    already moved valid_until forward). Suspended licences lapse too; revoked ones stay."""
    numbers: list[str] = []
    candidates = Licence.objects.filter(
        valid_until__lt=today, status__in=[S.ACTIVE, S.RENEWAL_PENDING, S.SUSPENDED]
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            lic = Licence.objects.select_for_update().get(pk=pk)
            # Re-check under the lock: a renewal may have been approved meanwhile.
            if lic.valid_until >= today or S.LAPSED not in TRANSITIONS[lic.status]:
                continue
            _record_status(
                lic,
                to_status=S.LAPSED,
                actor=None,
                action="ssmark.licence.lapsed",
                reason=str(LAPSE_REASON),
            )
            numbers.append(lic.number)
    return numbers


def send_reminders(*, today: datetime.date) -> list[tuple[str, str, datetime.date]]:
    """Send `renewal_reminder_due` once per reminder and validity period: when the renewal
    window opens, and at each configured number of days before the deadline. Only active
    licences (no renewal in progress) are reminded; if several reminders became due since the
    last run, only the most urgent is sent and the others are recorded as skipped."""
    conf = scheme_settings.settings()
    deadline_days = datetime.timedelta(days=conf.deadline_days_before_expiry)
    window = datetime.timedelta(days=conf.window_opens_days_before_deadline)
    # Window open and deadline not passed: today <= valid_until - deadline_days, and
    # today >= valid_until - deadline_days - window.
    qs = Licence.objects.filter(
        status=S.ACTIVE,
        valid_until__gte=today + deadline_days,
        valid_until__lte=today + deadline_days + window,
    ).order_by("serial")
    sent: list[tuple[str, str, datetime.date]] = []
    for lic in qs:
        opens = conf.renewal_window_opens(lic.valid_until)
        deadline = conf.renewal_deadline(lic.valid_until)
        due: list[tuple[str, int, datetime.date]] = [
            (ReminderKind.WINDOW_OPEN, conf.window_opens_days_before_deadline, opens)
        ]
        due += [
            (ReminderKind.DEADLINE_NEAR, d, deadline - datetime.timedelta(days=d))
            for d in conf.reminder_days_before_deadline
        ]
        due = [d for d in due if d[2] <= today]
        if not due:
            continue
        with transaction.atomic():
            locked = Licence.objects.select_for_update().get(pk=lic.pk)
            if locked.status != S.ACTIVE or locked.valid_until != lic.valid_until:
                continue
            done = set(
                RenewalReminder.objects.filter(
                    licence=lic, valid_until=lic.valid_until
                ).values_list("kind", "days_before_deadline")
            )
            new = [d for d in due if (str(d[0]), d[1]) not in done]
            if not new:
                continue
            most_urgent = max(new, key=lambda d: d[2])
            for kind, days, due_on in new:
                RenewalReminder.objects.create(
                    licence=lic,
                    valid_until=lic.valid_until,
                    kind=kind,
                    days_before_deadline=days,
                    due_on=due_on,
                    sent=(kind, days, due_on) == most_urgent,
                )
            kind = str(most_urgent[0])
            audit(
                actor=None,
                action="ssmark.licence.renewal_reminder",
                target=lic,
                data={
                    "kind": kind,
                    "deadline": deadline.isoformat(),
                    "due_on": str(most_urgent[2]),
                },
            )
            events.renewal_reminder_due.send(
                sender=Licence,
                licence=lic,
                window_opens=opens,
                deadline=deadline,
                kind=kind,
                actor=None,
            )
            sent.append((lic.number, kind, deadline))
    return sent


def run_daily(*, today: datetime.date | None = None) -> DailyReport:
    """Lapse expired licences and send due renewal reminders. Safe to run twice a day."""
    today = today or timezone.localdate()
    report = DailyReport()
    report.lapsed = lapse_expired(today=today)
    report.reminders = send_reminders(today=today)
    return report


@dataclass(frozen=True)
class LateRenewal:
    licence: Licence
    deadline: datetime.date
    days_late: int
    draft: Application | None  # a renewal application started but not submitted


def late_renewals(*, today: datetime.date | None = None) -> list[LateRenewal]:
    """Licences past their renewal deadline with no renewal application submitted."""
    today = today or timezone.localdate()
    conf = scheme_settings.settings()
    deadline_days = datetime.timedelta(days=conf.deadline_days_before_expiry)
    qs = (
        Licence.objects.filter(
            status__in=[S.ACTIVE, S.RENEWAL_PENDING, S.SUSPENDED],
            valid_until__gte=today,
            valid_until__lt=today + deadline_days,
        )
        .select_related("organisation", "reception_body")
        .order_by("valid_until", "serial")
    )
    links: dict[int, Application] = {}
    in_progress = (
        RenewalLink.objects.filter(licence__in=qs, renews_until=F("licence__valid_until"))
        .exclude(application__status__in=ENDED_APPLICATION_STATES)
        .select_related("application")
        .order_by("created")
    )
    for link in in_progress:
        links[link.licence_id] = link.application
    out: list[LateRenewal] = []
    for lic in qs:
        app = links.get(lic.pk)
        if app is not None and app.first_submitted_on is not None:
            continue
        deadline = conf.renewal_deadline(lic.valid_until)
        out.append(LateRenewal(lic, deadline, (today - deadline).days, app))
    return out


# --- Incidents --------------------------------------------------------------------------------


def can_see_incidents_of(user: Any, licence: Licence) -> bool:
    return is_holder(user, licence) or _has_role(user, INVESTIGATORS)


def can_see_incident(user: Any, incident: IncidentReport) -> bool:
    return can_see_incidents_of(user, incident.licence)


def _text(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise LicenceError(ERROR_TEXT_REQUIRED)
    return value


def report_incident(
    *,
    licence: Licence,
    actor: Any,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    impact: str,
    measures: str,
) -> IncidentReport:
    """A licence holder reports a security-failure outage or a personal-data leak."""
    if not is_holder(actor, licence):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    if occurred_on > timezone.localdate():
        raise LicenceError(ERROR_INCIDENT_DATE)
    with transaction.atomic():
        incident = IncidentReport.objects.create(
            licence=licence,
            kind=kind,
            occurred_on=occurred_on,
            summary=_text(summary),
            impact=_text(impact),
            measures=_text(measures),
            reported_by=actor,
        )
        audit(
            actor=actor,
            action="ssmark.incident.reported",
            target=incident,
            to_state=incident.status,
            data={"licence": licence.number, "kind": kind},
        )
    return incident


def _open_incident(incident: IncidentReport) -> IncidentReport:
    locked = (
        IncidentReport.objects.select_for_update(of=("self",))
        .select_related("licence")
        .get(pk=incident.pk)
    )
    if locked.status == IncidentStatus.CLOSED:
        raise LicenceError(ERROR_INCIDENT_CLOSED)
    return locked


def record_investigation(
    *, incident: IncidentReport, actor: Any, findings: str, refused: bool = False
) -> Investigation:
    _require(actor, INVESTIGATORS)
    with transaction.atomic():
        locked = _open_incident(incident)
        entry = Investigation.objects.create(
            incident=locked, findings=_text(findings), refused=refused, recorded_by=actor
        )
        from_status = locked.status
        locked.status = IncidentStatus.INVESTIGATING
        locked.save(update_fields=["status"])
        audit(
            actor=actor,
            action="ssmark.incident.investigated",
            target=locked,
            from_state=from_status,
            to_state=locked.status,
            comment=entry.findings,
            data={"refused": refused},
        )
    return entry


def issue_recommendation(
    *,
    incident: IncidentReport,
    actor: Any,
    text: str,
    respond_by: datetime.date | None = None,
) -> Recommendation:
    _require(actor, INVESTIGATORS)
    with transaction.atomic():
        locked = _open_incident(incident)
        rec = Recommendation.objects.create(
            incident=locked, text=_text(text), respond_by=respond_by, issued_by=actor
        )
        if locked.status == IncidentStatus.REPORTED:
            locked.status = IncidentStatus.INVESTIGATING
            locked.save(update_fields=["status"])
        audit(
            actor=actor,
            action="ssmark.incident.recommendation_issued",
            target=locked,
            comment=rec.text,
            data={"recommendation": rec.pk, "respond_by": str(respond_by or "")},
        )
        events.incident_recommendation_issued.send(
            sender=Licence,
            licence=locked.licence,
            incident=locked,
            recommendation=rec.text,
            actor=actor,
        )
    return rec


def respond_to_recommendation(
    *, recommendation: Recommendation, actor: Any, text: str
) -> RecommendationResponse:
    incident = recommendation.incident
    if not is_holder(actor, incident.licence):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    with transaction.atomic():
        locked = _open_incident(incident)
        response = RecommendationResponse.objects.create(
            recommendation=recommendation, text=_text(text), responded_by=actor
        )
        audit(
            actor=actor,
            action="ssmark.incident.responded",
            target=locked,
            comment=response.text,
            data={"recommendation": recommendation.pk},
        )
    return response


def close_incident(*, incident: IncidentReport, actor: Any, reason: str) -> IncidentReport:
    _require(actor, INVESTIGATORS)
    with transaction.atomic():
        locked = _open_incident(incident)
        from_status = locked.status
        locked.status = IncidentStatus.CLOSED
        locked.save(update_fields=["status"])
        audit(
            actor=actor,
            action="ssmark.incident.closed",
            target=locked,
            from_state=from_status,
            to_state=locked.status,
            comment=_text(reason),
        )
    return locked
