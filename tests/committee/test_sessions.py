"""Scheduling, opening and closing committee sessions; proposals of the next dates."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from ssmark.accounts.models import User
from ssmark.applications.models import Application
from ssmark.committee import services
from ssmark.committee.calendar import session_calendar
from ssmark.committee.models import Session, SessionStatus
from ssmark.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_secretariat_schedules_a_session(users: dict[str, User]) -> None:
    session = services.schedule_session(
        actor=users["sue"],
        date=days(30),
        place="",
        online=True,
        chair=users["kei"],
        members=[users["kei"]],
    )
    assert session.status == SessionStatus.PLANNED
    assert session.online and session.chair == users["kei"]
    assert session.start_time == session_calendar().default_time
    assert list(session.members.all()) == [users["kei"]]
    entry = AuditEntry.objects.get(action="ssmark.committee.session_scheduled")
    assert entry.actor == users["sue"] and entry.target_id == str(session.pk)


@pytest.mark.parametrize("name", ["kei", "ada", "alice", "rin", "ren"])
def test_only_the_secretariat_schedules(users: dict[str, User], name: str) -> None:
    with pytest.raises(services.CommitteeError) as exc:
        services.schedule_session(actor=users[name], date=days(30), place="会議室")
    assert str(exc.value) == str(services.ERROR_NOT_SECRETARIAT)
    assert not Session.objects.exists()


def test_scheduling_rules(users: dict[str, User]) -> None:
    sue = users["sue"]
    with pytest.raises(services.CommitteeError, match=str(services.ERROR_PLACE_REQUIRED)):
        services.schedule_session(actor=sue, date=days(30), place="  ")
    with pytest.raises(services.CommitteeError) as exc:
        services.schedule_session(actor=sue, date=days(30), place="会議室", members=[users["ren"]])
    assert str(exc.value) == services.ERROR_NOT_A_MEMBER % {"name": users["ren"].display_name}
    with pytest.raises(services.CommitteeError) as exc:
        services.schedule_session(actor=sue, date=days(30), place="会議室", chair=users["sue"])
    assert str(exc.value) == str(services.ERROR_CHAIR_NOT_MEMBER)
    services.schedule_session(actor=sue, date=days(30), place="会議室")
    with pytest.raises(services.CommitteeError) as exc:
        services.schedule_session(actor=sue, date=days(30), place="別室")
    assert str(exc.value) == str(services.ERROR_DATE_TAKEN)
    assert Session.objects.count() == 1


def test_proposed_dates_skip_months_already_scheduled(users: dict[str, User]) -> None:
    today = datetime.date(2026, 11, 28)
    assert services.proposed_dates(today=today) == [
        datetime.date(2027, 3, 25),
        datetime.date(2027, 7, 22),
        datetime.date(2027, 11, 25),
    ]
    services.schedule_session(actor=users["sue"], date=datetime.date(2027, 3, 18), place="A")
    assert services.proposed_dates(today=today) == [
        datetime.date(2027, 7, 22),
        datetime.date(2027, 11, 25),
        datetime.date(2028, 3, 23),
    ]


def test_open_and_close(
    make_session: Callable[..., Session],
    make_application: Callable[..., Application],
    users: dict[str, User],
) -> None:
    session = make_session(days(0))
    make_application()
    services.place_waiting_applications(actor=users["sue"])
    services.open_session(session=session, actor=users["sue"])
    assert session.status == SessionStatus.HELD and session.opened_at

    with pytest.raises(services.CommitteeError) as exc:
        services.close_session(session=session, actor=users["sue"])
    assert str(exc.value) == str(services.ERROR_UNDECIDED_ITEMS)

    item = session.items.get()
    services.record_decision(
        agenda_item=item,
        decision="rejected",
        reasons="不備",
        actor=users["kei"],
        members_present=[users["kei"]],
    )
    services.close_session(session=session, actor=users["kei"])  # kei chairs it
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"ssmark.committee.session_opened", "ssmark.committee.session_closed"} <= actions


def test_cannot_open_before_the_date_or_twice(
    make_session: Callable[..., Session], users: dict[str, User]
) -> None:
    future = make_session(days(3))
    with pytest.raises(services.CommitteeError) as exc:
        services.open_session(session=future, actor=users["sue"])
    assert str(exc.value) == str(services.ERROR_TOO_EARLY)
    today = make_session(days(0))
    services.open_session(session=today, actor=users["sue"])
    with pytest.raises(services.CommitteeError) as exc:
        services.open_session(session=today, actor=users["sue"])
    assert str(exc.value) == str(services.ERROR_SESSION_NOT_PLANNED)


def test_cannot_open_without_members(users: dict[str, User]) -> None:
    session = services.schedule_session(actor=users["sue"], date=days(0), place="会議室")
    with pytest.raises(services.CommitteeError) as exc:
        services.open_session(session=session, actor=users["sue"])
    assert str(exc.value) == str(services.ERROR_NO_MEMBERS)
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


@pytest.mark.parametrize("name", ["ada", "alice", "rin"])
def test_only_secretariat_or_chair_opens(
    make_session: Callable[..., Session], users: dict[str, User], name: str
) -> None:
    session = make_session(days(0))
    with pytest.raises(services.CommitteeError) as exc:
        services.open_session(session=session, actor=users[name])
    assert str(exc.value) == str(services.ERROR_NOT_ALLOWED_TO_RUN)


def test_update_session(make_session: Callable[..., Session], users: dict[str, User]) -> None:
    session = make_session(days(10))
    services.update_session(
        session=session,
        actor=users["sue"],
        date=days(11),
        start_time=datetime.time(10, 0),
        place="",
        online=True,
        chair=None,
        members=[users["kei"]],
        notes="オンライン開催",
    )
    assert session.date == days(11) and session.online and session.chair is None
    session.status = SessionStatus.CLOSED
    session.save()
    with pytest.raises(services.CommitteeError) as exc:
        services.update_session(
            session=session,
            actor=users["sue"],
            date=days(11),
            start_time=None,
            place="X",
            online=False,
            chair=None,
            members=[],
        )
    assert str(exc.value) == str(services.ERROR_SESSION_CLOSED)
