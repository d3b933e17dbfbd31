"""Applications that pass the first review join the next planned session's agenda."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from ssmark.accounts.models import User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet
from ssmark.catalog.services import sync_sets
from ssmark.committee import services
from ssmark.committee.models import AgendaItem, Session, SessionStatus
from ssmark.core.models import AuditEntry
from ssmark.criteria import discover
from ssmark.reviews.models import Decision, FirstReview
from ssmark.reviews.services import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria_set(db: None) -> CriteriaSet:
    """The seed's set: the first review's verdict reads it."""
    sync_sets(discover())
    return CriteriaSet.objects.get(set_id="isp-2010")


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def decide_first_review(application: Application, actor: User, *, passed: bool = True) -> None:
    """The first reviewer decides through the reviews service (by override: no findings)."""
    FirstReview.objects.create(
        application=application, reviewer=actor, assigned_by=actor, assigned_at=timezone.now()
    )
    decide(
        actor=actor,
        application=application,
        decision=Decision.PASSED if passed else Decision.REJECTED,
        reasons="" if passed else "不備",
        override=passed,
        override_reason="審査員の判断" if passed else "",
    )


def pass_first_review(application: Application, actor: User) -> None:
    decide_first_review(application, actor, passed=True)


def test_passing_first_review_joins_next_planned_session(
    make_application: Callable[..., Application],
    make_session: Callable[..., Session],
    users: dict[str, User],
) -> None:
    make_session(days(-30), status=SessionStatus.CLOSED)
    later = make_session(days(120))
    nearer = make_session(days(10))
    application = make_application(status=ApplicationStatus.IN_FIRST_REVIEW)

    pass_first_review(application, users["ren"])

    item = AgendaItem.objects.get(application=application)
    assert item.session == nearer and item.position == 1 and item.decision == ""
    assert not later.items.exists()
    assert AuditEntry.objects.filter(action="ssmark.committee.agenda_added").count() == 1


def test_failing_first_review_does_not_join(
    make_application: Callable[..., Application],
    make_session: Callable[..., Session],
    users: dict[str, User],
) -> None:
    make_session(days(10))
    application = make_application(status=ApplicationStatus.IN_FIRST_REVIEW)
    decide_first_review(application, users["ren"], passed=False)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FIRST_REVIEW_REJECTED
    assert not AgendaItem.objects.exists()


def test_without_a_planned_session_the_application_waits_then_joins_when_scheduled(
    make_application: Callable[..., Application],
    users: dict[str, User],
) -> None:
    application = make_application(status=ApplicationStatus.IN_FIRST_REVIEW)
    pass_first_review(application, users["ren"])
    assert not AgendaItem.objects.exists()
    assert list(services.waiting_applications()) == [application]

    session = services.schedule_session(actor=users["sue"], date=days(40), place="会議室")

    assert [i.application for i in session.items.all()] == [application]
    assert not services.waiting_applications().exists()


def test_service_places_already_passed_applications_in_order(
    make_application: Callable[..., Application],
    make_session: Callable[..., Session],
    users: dict[str, User],
) -> None:
    first, second = make_application(), make_application()
    session = make_session(days(5))
    placed = services.place_waiting_applications(actor=users["sue"])
    assert [(i.application, i.position) for i in placed] == [(first, 1), (second, 2)]
    # Idempotent: running it again adds nothing.
    assert services.place_waiting_applications(actor=users["sue"]) == []
    assert session.items.count() == 2


def test_an_application_is_on_one_pending_agenda_only(
    make_application: Callable[..., Application],
    make_session: Callable[..., Session],
    users: dict[str, User],
) -> None:
    application = make_application()
    one, other = make_session(days(5)), make_session(days(50))
    item = services.place_on_agenda(application=application, actor=users["sue"], session=one)
    again = services.place_on_agenda(application=application, actor=users["sue"], session=other)
    assert again == item
    assert not other.items.exists()


def test_only_applications_that_passed_the_first_review_join(
    make_application: Callable[..., Application],
    make_session: Callable[..., Session],
    users: dict[str, User],
) -> None:
    make_session(days(5))
    application = make_application(status=ApplicationStatus.IN_FIRST_REVIEW)
    with pytest.raises(services.CommitteeError) as exc:
        services.place_on_agenda(application=application, actor=users["sue"])
    assert str(exc.value) == str(services.ERROR_NOT_AWAITING)
    assert not AgendaItem.objects.exists()


def test_a_closed_session_takes_no_applications(
    make_application: Callable[..., Application],
    make_session: Callable[..., Session],
    users: dict[str, User],
) -> None:
    closed = make_session(days(-5), status=SessionStatus.CLOSED)
    with pytest.raises(services.CommitteeError) as exc:
        services.place_on_agenda(application=make_application(), actor=users["sue"], session=closed)
    assert str(exc.value) == str(services.ERROR_SESSION_NOT_OPEN_FOR_AGENDA)
