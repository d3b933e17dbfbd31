"""Demo committee sessions: the last one (held and closed) and the next one (planned), with the
applications that passed the first review (the reviews demo makes one) on its agenda.
Idempotent: sessions are found by date, agenda placement is idempotent."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from ssmark.accounts.models import Role, User
from ssmark.core import clock

from . import services
from .calendar import session_calendar
from .models import Session, SessionStatus


@transaction.atomic
def load(out: TextIO) -> None:
    secretariat = (
        User.objects.filter(roles__role=Role.SECRETARIAT, is_active=True).order_by("pk").first()
    )
    if secretariat is None:
        out.write("committee demo: no secretariat user, skipped\n")
        return
    members = list(services.committee_members())
    chair = members[0] if members else None
    calendar = session_calendar()
    today = clock.today()

    past_date = calendar.previous_before(today)
    past = Session.objects.filter(date=past_date).first()
    if past is None:
        # History, recorded as held and closed (a new session cannot be scheduled in the past).
        past = Session.objects.create(
            date=past_date,
            start_time=calendar.default_time,
            place=calendar.default_place,
            online=calendar.default_online,
            chair=chair,
            notes="前回の審査委員会（デモデータ）",
            created_by=secretariat,
            status=SessionStatus.CLOSED,
            opened_at=clock.now(),
            closed_at=clock.now(),
        )
        past.members.set(members)
    elif past.status != SessionStatus.CLOSED and not past.items.filter(decision="").exists():
        past.status = SessionStatus.CLOSED
        past.save(update_fields=["status"])

    next_date = calendar.proposals_after(today, count=1)[0]
    upcoming = services.next_planned_session()
    if upcoming is None:
        upcoming = Session.objects.filter(date=next_date).first() or services.schedule_session(
            actor=secretariat,
            date=next_date,
            place=calendar.default_place,
            online=calendar.default_online,
            chair=chair,
            members=members,
            notes="次回の審査委員会（デモデータ）",
        )
    services.place_waiting_applications(actor=secretariat)
    out.write(
        f"committee demo: last session {past.date} ({past.get_status_display()}), "
        f"next {upcoming.date} with {upcoming.items.count()} application(s) on the agenda\n"
    )
