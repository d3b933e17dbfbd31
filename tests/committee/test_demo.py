"""The committee demo data: the last session (closed) and the next one, with the application
that passed the first review on its agenda. Safe to run twice."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from ssmark.accounts import demo as accounts_demo
from ssmark.accounts.models import Organisation, User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet
from ssmark.committee import demo
from ssmark.committee.models import AgendaItem, Session, SessionStatus

pytestmark = pytest.mark.django_db


def test_demo_sessions_and_agenda(criteria_set: CriteriaSet) -> None:
    accounts_demo.load(out=io.StringIO())
    application = Application.objects.create(
        organisation=Organisation.objects.get(code="sample-net"),
        reception_body=Organisation.objects.get(code="JAIPA"),
        criteria_set=criteria_set,
        service_name="サンプル光",
        status=ApplicationStatus.FIRST_REVIEW_PASSED,
        created_by=User.objects.get(username="alice"),
    )
    out = io.StringIO()
    demo.load(out=out)
    demo.load(out=out)

    today = timezone.localdate()
    past, upcoming = Session.objects.order_by("date")
    assert past.date < today and past.status == SessionStatus.CLOSED
    assert upcoming.date > today and upcoming.status == SessionStatus.PLANNED
    assert upcoming.date.month in (3, 7, 11)
    assert upcoming.chair is not None and upcoming.chair.username == "iin"
    assert [i.application for i in upcoming.items.all()] == [application]
    assert AgendaItem.objects.count() == 1
    assert "next" in out.getvalue()
