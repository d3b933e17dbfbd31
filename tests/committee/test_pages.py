"""Committee pages: who sees what (404 for everyone else), and the forms behind them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from ssmark.accounts.models import User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.committee.models import AgendaItem, Session, SessionStatus
from ssmark.licences.models import Licence

pytestmark = pytest.mark.django_db

VIEWERS = ["kei", "sue", "ada"]
OUTSIDERS = ["alice", "bob", "charlie", "rin", "tomo", "ren", "taro"]


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def item(
    make_session: Callable[..., Session], make_application: Callable[..., Application]
) -> AgendaItem:
    session = make_session(days(0), status=SessionStatus.HELD)
    application = make_application()
    return AgendaItem.objects.create(session=session, application=application, position=1)


def urls_for(item: AgendaItem) -> list[str]:
    pk = item.session_id
    return [
        reverse("committee:sessions"),
        reverse("committee:session", args=[pk]),
        reverse("committee:agenda_pdf", args=[pk]),
        reverse("committee:minutes_pdf", args=[pk]),
        reverse("committee:item", args=[item.pk]),
    ]


@pytest.mark.parametrize("name", VIEWERS)
def test_committee_staff_see_every_page(
    client_for: Callable[[str], object], item: AgendaItem, name: str
) -> None:
    client = client_for(name)
    for url in urls_for(item):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("name", OUTSIDERS)
def test_others_get_404_everywhere(
    client_for: Callable[[str], object], item: AgendaItem, name: str
) -> None:
    client = client_for(name)
    pk = item.session_id
    gets = [
        *urls_for(item),
        reverse("committee:session_new"),
        reverse("committee:session_edit", args=[pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("committee:session_open", args=[pk]),
        reverse("committee:session_close", args=[pk]),
        reverse("committee:session_add_waiting", args=[pk]),
        reverse("committee:item", args=[item.pk]),
    ]
    for url in posts:
        response = client.post(url, {"decision": "approved"})
        assert response.status_code == 404, url
    item.refresh_from_db()
    assert item.decision == ""


def test_unknown_ids_are_404(client_for: Callable[[str], object], item: AgendaItem) -> None:
    client = client_for("sue")
    assert client.get(reverse("committee:session", args=[999_999])).status_code == 404
    assert client.get(reverse("committee:item", args=[999_999])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client: object, item: AgendaItem) -> None:
    response = client.get(reverse("committee:item", args=[item.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["kei", "ada"])
def test_only_the_secretariat_schedules_and_edits(
    client_for: Callable[[str], object], item: AgendaItem, name: str
) -> None:
    client = client_for(name)
    assert client.get(reverse("committee:session_new")).status_code == 404
    edit = reverse("committee:session_edit", args=[item.session_id])
    assert client.get(edit).status_code == 404


def test_administrator_reads_but_does_not_decide(
    client_for: Callable[[str], object], item: AgendaItem
) -> None:
    client = client_for("ada")
    page = client.get(reverse("committee:item", args=[item.pk]))
    assert b'name="decision"' not in page.content
    response = client.post(reverse("committee:item", args=[item.pk]), {"decision": "approved"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.decision == ""


def test_sessions_page_proposes_dates_to_the_secretariat(
    client_for: Callable[[str], object], item: AgendaItem
) -> None:
    sue = client_for("sue").get(reverse("committee:sessions"))
    kei = client_for("kei").get(reverse("committee:sessions"))
    first = sue.context["proposals"][0]
    assert first > timezone.localdate() and first.month in (3, 7, 11)
    assert f"?date={first:%Y-%m-%d}" in sue.content.decode()
    assert kei.context["proposals"] == []


def test_schedule_through_the_form(
    client_for: Callable[[str], object],
    users: dict[str, User],
    make_application: Callable[..., Application],
) -> None:
    application = make_application()
    client = client_for("sue")
    form = client.get(reverse("committee:session_new") + "?date=2027-03-25")
    assert form.status_code == 200 and 'value="2027-03-25"' in form.content.decode()
    response = client.post(
        reverse("committee:session_new"),
        {
            "date": "2027-03-25",
            "start_time": "14:00",
            "place": "会議室B",
            "chair": users["kei"].pk,
            "members": [users["kei"].pk],
            "notes": "",
        },
    )
    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("committee:session", args=[session.pk])
    assert session.place == "会議室B" and session.chair == users["kei"]
    assert list(session.items.values_list("application", flat=True)) == [application.pk]

    again = client.post(
        reverse("committee:session_new"),
        {
            "date": "2027-03-25",
            "start_time": "14:00",
            "place": "会議室B",
        },
    )
    assert again.status_code == 200
    assert "既に" in again.content.decode() or "already" in again.content.decode()


def test_decision_form_approves_and_shows_the_licence(
    client_for: Callable[[str], object], item: AgendaItem, users: dict[str, User]
) -> None:
    client = client_for("kei")
    page = client.get(reverse("committee:item", args=[item.pk]))
    assert b'name="decision"' in page.content
    response = client.post(
        reverse("committee:item", args=[item.pk]),
        {
            "decision": "approved",
            "reasons": "",
            "members_present": [users["kei"].pk],
        },
        follow=True,
    )
    licence = Licence.objects.get(application=item.application)
    assert licence.number in response.content.decode()
    assert Application.objects.get(pk=item.application_id).status == ApplicationStatus.APPROVED


def test_decision_form_shows_the_rule_that_was_broken(
    client_for: Callable[[str], object], item: AgendaItem, users: dict[str, User]
) -> None:
    client = client_for("sue")
    response = client.post(
        reverse("committee:item", args=[item.pk]),
        {
            "decision": "rejected",
            "reasons": "",
            "members_present": [users["kei"].pk],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    item.refresh_from_db()
    assert item.decision == ""


def test_open_and_close_through_the_page(
    client_for: Callable[[str], object], make_session: Callable[..., Session]
) -> None:
    session = make_session(days(0))
    client = client_for("sue")
    client.post(reverse("committee:session_open", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    client.post(reverse("committee:session_close", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED


def test_minutes_of_a_planned_session_do_not_exist(
    client_for: Callable[[str], object], make_session: Callable[..., Session]
) -> None:
    session = make_session(days(10))
    url = reverse("committee:minutes_pdf", args=[session.pk])
    assert client_for("sue").get(url).status_code == 404


def test_edit_and_add_waiting_through_the_pages(
    client_for: Callable[[str], object],
    make_session: Callable[..., Session],
    make_application: Callable[..., Application],
    users: dict[str, User],
) -> None:
    session = make_session(days(20))
    client = client_for("sue")
    response = client.post(
        reverse("committee:session_edit", args=[session.pk]),
        {
            "date": days(21).isoformat(),
            "start_time": "10:00",
            "place": "",
            "online": "on",
            "chair": users["kei"].pk,
            "members": [users["kei"].pk],
            "notes": "オンライン",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == days(21) and session.online and session.notes == "オンライン"

    application = make_application()
    response = client.post(reverse("committee:session_add_waiting", args=[session.pk]))
    assert response.status_code == 302
    assert [i.application for i in session.items.all()] == [application]


def test_pages_render_in_english(client_for: Callable[[str], object], item: AgendaItem) -> None:
    client = client_for("kei")
    client.cookies["ssmark_language"] = "en"
    html = client.get(reverse("committee:sessions")).content.decode()
    assert "Committee sessions" in html and "March, July, November" in html
    page = client.get(reverse("committee:item", args=[item.pk])).content.decode()
    assert "Committee decision" in page
