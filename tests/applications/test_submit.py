"""Submitting needs the incident declaration (of the year before applying, or "none")."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications import services
from ssmark.applications.models import ApplicationStatus, Submission

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def fixed_today(freeze_today):
    freeze_today(TODAY)


def test_submit_requires_the_incident_declaration(draft, users):
    alice = users["alice"]
    with pytest.raises(services.ApplicationError) as exc:
        services.submit(actor=alice, application=draft)
    assert exc.value.text == str(services.ERROR_INCIDENTS_NOT_DECLARED)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT and draft.submitted_on is None
    assert not Submission.objects.exists()
    services.declare_no_incidents(actor=alice, application=draft)
    services.submit(actor=alice, application=draft)
    assert draft.status == ApplicationStatus.SUBMITTED


def test_listing_incidents_counts_as_the_declaration(draft, users):
    alice = users["alice"]
    incident = services.declare_incident(
        actor=alice,
        application=draft,
        kind="outage",
        occurred_on=datetime.date(2026, 3, 3),
        summary="DNSサーバーの設定誤りにより約2時間名前解決ができなかった。",
        measures="設定変更手順にレビューを追加し、監視を強化した。",
    )
    assert services.incidents_declared(draft)
    with pytest.raises(services.ApplicationError) as exc:
        services.declare_no_incidents(actor=alice, application=draft)
    assert exc.value.text == str(services.ERROR_INCIDENTS_LISTED)
    services.remove_incident(actor=alice, application=draft, incident=incident)
    draft.refresh_from_db()
    assert not services.incidents_declared(draft)
    with pytest.raises(services.ApplicationError):
        services.submit(actor=alice, application=draft)


@pytest.mark.parametrize("day", [datetime.date(2025, 11, 27), datetime.date(2026, 11, 29), None])
def test_incident_outside_the_year_before_applying_is_refused(draft, users, day):
    with pytest.raises(services.ApplicationError):
        services.declare_incident(
            actor=users["alice"],
            application=draft,
            kind="leak",
            occurred_on=day,
            summary="s",
            measures="m",
        )
    assert not draft.incidents.exists()
    draft.refresh_from_db()
    assert draft.incidents_declared_at is None


def test_submit_through_the_page_needs_confirmation(draft, users, client_for):
    client = client_for("alice")
    url = f"/applications/{draft.pk}/submit/"
    body = client.get(url).content.decode()
    assert str(services.ERROR_INCIDENTS_NOT_DECLARED)[:5] or body
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200
    assert str(services.ERROR_INCIDENTS_NOT_DECLARED) in response.content.decode()
    client.post(f"/applications/{draft.pk}/incidents/none/")
    response = client.post(url, {})  # not confirmed
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED and draft.submitted_on == TODAY
