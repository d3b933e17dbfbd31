"""The secretariat arranges the agenda (issue 15): moves undecided applications between
sessions with a reason (audit trail), adds waiting applications to any session not closed,
opens a session before its date with a reason, deletes a session with no decisions, and
cannot schedule a session in the past."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ssmark.committee import agenda, services
from ssmark.committee.models import AgendaItem, Session, SessionStatus
from ssmark.core import clock
from ssmark.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def test_move_an_item_to_an_earlier_session_with_a_reason(make_application, make_session, users):
    late = make_session(days(100))
    application = make_application()
    item = services.place_on_agenda(application=application, actor=users["sue"], session=late)
    soon = make_session(days(10))
    with pytest.raises(services.CommitteeError) as exc:
        agenda.move_item(agenda_item=item, to_session=soon, actor=users["sue"], reason=" ")
    assert str(exc.value) == str(agenda.ERROR_MOVE_NEEDS_REASON)
    with pytest.raises(services.CommitteeError):
        agenda.move_item(agenda_item=item, to_session=soon, actor=users["kei"], reason="早く")
    agenda.move_item(
        agenda_item=item, to_session=soon, actor=users["sue"], reason="早く審議するため"
    )
    item.refresh_from_db()
    assert item.session == soon
    entry = AuditEntry.objects.get(action="ssmark.committee.agenda_moved")
    assert entry.comment == "早く審議するため"
    assert entry.data["from_session"] == late.pk and entry.data["to_session"] == soon.pk


def test_no_move_to_or_from_a_closed_session_nor_of_a_decided_item(
    make_application, make_session, users
):
    closed = make_session(days(-30), status=SessionStatus.CLOSED)
    planned = make_session(days(10))
    item = services.place_on_agenda(
        application=make_application(), actor=users["sue"], session=planned
    )
    with pytest.raises(services.CommitteeError):
        agenda.move_item(agenda_item=item, to_session=closed, actor=users["sue"], reason="x")
    assert list(agenda.target_sessions(item)) == []  # the closed one is never offered


def test_the_move_page_in_japanese(make_application, make_session, users, client_for):
    late = make_session(days(100))
    soon = make_session(days(10))
    item = services.place_on_agenda(
        application=make_application(), actor=users["sue"], session=late
    )
    sue = client_for("sue")
    page = sue.get(reverse("committee:session", args=[soon.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    assert reverse("committee:item_move", args=[item.pk]) in page.content.decode()
    url = reverse("committee:item_move", args=[item.pk])
    r = sue.post(url, {"to_session": soon.pk, "reason": ""}, HTTP_ACCEPT_LANGUAGE="ja")
    assert (
        r.status_code == 200
        and "別の審査委員会へ移す理由を記入してください。" in r.content.decode()
    )
    r = sue.post(url, {"to_session": soon.pk, "reason": "日程の都合"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.session == soon
    assert client_for("kei").get(url).status_code == 404  # committee members read only
    assert client_for("alice").get(url).status_code == 404


def test_a_session_can_be_opened_before_its_date_with_a_reason(make_session, users, client_for):
    future = make_session(days(5))
    with pytest.raises(services.CommitteeError) as exc:
        services.open_session(session=future, actor=users["sue"])
    assert str(exc.value) == str(services.ERROR_TOO_EARLY)
    sue = client_for("sue")
    sue.post(reverse("committee:session_open", args=[future.pk]), {"reason": "臨時開催"})
    future.refresh_from_db()
    assert future.status == SessionStatus.HELD
    entry = AuditEntry.objects.get(action="ssmark.committee.session_opened")
    assert entry.comment == "臨時開催" and entry.data["early"] is True


def test_a_new_session_cannot_be_in_the_past(users):
    with pytest.raises(services.CommitteeError) as exc:
        services.schedule_session(actor=users["sue"], date=days(-1), place="会議室")
    assert str(exc.value) == str(services.ERROR_DATE_IN_PAST)
    assert not Session.objects.exists()


def test_delete_a_session_without_decisions_moves_its_agenda_on(
    make_application, make_session, users, client_for
):
    doomed = make_session(days(10))
    following = make_session(days(60))
    application = make_application()
    services.place_on_agenda(application=application, actor=users["sue"], session=doomed)
    sue = client_for("sue")
    url = reverse("committee:session_delete", args=[doomed.pk])
    confirm = sue.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert application.service_name in confirm
    assert Session.objects.filter(pk=doomed.pk).exists()  # the confirmation changed nothing
    r = sue.post(url, {"reason": "委員の都合がつかないため"})
    assert r.status_code == 302
    assert not Session.objects.filter(pk=doomed.pk).exists()
    assert AgendaItem.objects.get(application=application, decision="").session == following
    entry = AuditEntry.objects.get(action="ssmark.committee.session_deleted")
    assert entry.comment == "委員の都合がつかないため"


def test_a_session_with_a_decision_cannot_be_deleted(make_application, make_session, users):
    session = make_session(days(10))
    item = services.place_on_agenda(
        application=make_application(), actor=users["sue"], session=session
    )
    AgendaItem.objects.filter(pk=item.pk).update(decision="deferred", reasons="x")
    assert not agenda.can_delete(session)
    with pytest.raises(services.CommitteeError) as exc:
        agenda.delete_session(session=session, actor=users["sue"])
    assert str(exc.value) == str(agenda.ERROR_SESSION_HAS_DECISIONS)
    assert Session.objects.filter(pk=session.pk).exists()
