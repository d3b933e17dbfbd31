"""The daily job (lapse expired licences, send renewal reminders) and the late-renewal list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ssmark.applications.models import Application
from ssmark.core import clock, events
from ssmark.core.models import audit

from .. import scheme as scheme_settings
from ..models import Licence, LicenceStatus, ReminderKind, RenewalLink, RenewalReminder
from ..states import transition
from .rules import ENDED_APPLICATION_STATES, TRANSITIONS

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
        valid_until__lt=today,
        status__in=[LicenceStatus.ACTIVE, LicenceStatus.RENEWAL_PENDING, LicenceStatus.SUSPENDED],
    ).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            lic = Licence.objects.select_for_update().get(pk=pk)
            # Re-check under the lock: a renewal may have been approved meanwhile.
            if lic.valid_until >= today or LicenceStatus.LAPSED not in TRANSITIONS[lic.status]:
                continue
            transition(
                lic,
                to_status=LicenceStatus.LAPSED,
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
        status=LicenceStatus.ACTIVE,
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
            if locked.status != LicenceStatus.ACTIVE or locked.valid_until != lic.valid_until:
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
    today = today or clock.today()
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
    today = today or clock.today()
    conf = scheme_settings.settings()
    deadline_days = datetime.timedelta(days=conf.deadline_days_before_expiry)
    qs = (
        Licence.objects.filter(
            status__in=[
                LicenceStatus.ACTIVE,
                LicenceStatus.RENEWAL_PENDING,
                LicenceStatus.SUSPENDED,
            ],
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
