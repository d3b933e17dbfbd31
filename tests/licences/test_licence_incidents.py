"""Incident reports: the holder reports; the committee/secretariat investigates and
recommends (event); the holder responds; per-object authorisation on every page."""

from __future__ import annotations

import datetime

import pytest

from ssmark.core import events
from ssmark.licences.models import IncidentReport, IncidentStatus
from ssmark.licences.services import (
    ERROR_INCIDENT_CLOSED,
    LicenceError,
    LicenceNotAllowed,
    close_incident,
    issue_recommendation,
    record_investigation,
    report_incident,
    respond_to_recommendation,
)

pytestmark = pytest.mark.django_db

REPORT = {
    "kind": "leak",
    "occurred_on": "2026-05-01",
    "summary": "会員情報の一部が外部から閲覧可能になっていた",
    "impact": "会員 120 名の氏名とメールアドレス",
    "measures": "公開設定を修正し、対象者に通知した",
}


def test_the_whole_exchange_through_the_pages(licence, client_for):
    alice, kei = client_for("alice"), client_for("kei")
    r = alice.post("/licences/manage/J0001/incidents/new/", REPORT)
    assert r.status_code == 302
    incident = IncidentReport.objects.get()
    url = f"/licences/incidents/{incident.pk}/"
    assert r["Location"] == url
    assert "会員 120 名" in alice.get(url).content.decode()

    seen = []
    events.incident_recommendation_issued.connect(
        lambda sender, **kw: seen.append(kw), weak=False, dispatch_uid="t-rec"
    )
    try:
        kei.post(url + "investigation/", {"findings": "設定不備を確認した"})
        kei.post(
            url + "recommendation/",
            {"text": "公開設定の点検手順を定めること", "respond_by": "2026-06-30"},
        )
    finally:
        events.incident_recommendation_issued.disconnect(dispatch_uid="t-rec")
    assert len(seen) == 1
    assert seen[0]["licence"] == licence and seen[0]["incident"] == incident
    assert seen[0]["recommendation"] == "公開設定の点検手順を定めること"
    rec = incident.recommendations.get()
    alice.post(url + f"recommendations/{rec.pk}/respond/", {"text": "点検手順を制定しました"})
    page = kei.get(url).content.decode()
    for text in (
        "設定不備を確認した",
        "公開設定の点検手順を定めること",
        "点検手順を制定しました",
        "2026-06-30",
    ):
        assert text in page
    client_for("sue").post(url + "close/", {"reason": "是正を確認"})
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    # A closed incident takes no more entries.
    r = alice.post(url + f"recommendations/{rec.pk}/respond/", {"text": "追記"}, follow=True)
    assert str(ERROR_INCIDENT_CLOSED) in r.content.decode()


def test_per_object_authorisation(licence, users, client_for):
    incident = report_incident(
        licence=licence,
        actor=users["alice"],
        kind="outage",
        occurred_on=datetime.date(2026, 4, 1),
        summary="DNS 障害",
        impact="3 時間",
        measures="冗長化",
    )
    rec = issue_recommendation(incident=incident, actor=users["sue"], text="再発防止策を")
    url = f"/licences/incidents/{incident.pk}/"
    for name in ("alice", "bob", "kei", "sue", "ada"):
        assert client_for(name).get(url).status_code == 200, name
    for name in ("charlie", "rin", "tomo", "ren"):
        assert client_for(name).get(url).status_code == 404, name
        assert (
            client_for(name)
            .post(url + f"recommendations/{rec.pk}/respond/", {"text": "x"})
            .status_code
            == 404
        )
    # The holder cannot investigate or recommend; staff cannot answer for the holder.
    assert client_for("alice").post(url + "recommendation/", {"text": "x"}).status_code == 403
    assert (
        client_for("kei")
        .post(url + f"recommendations/{rec.pk}/respond/", {"text": "x"})
        .status_code
        == 403
    )
    # Lists: the holder sees its own only; charlie sees none of them; reception staff: no list.
    assert "DNS 障害" not in client_for("charlie").get("/licences/incidents/").content.decode()
    assert client_for("alice").get("/licences/incidents/").status_code == 200
    assert client_for("rin").get("/licences/incidents/").status_code == 403


def test_services_check_roles(licence, users):
    with pytest.raises(LicenceNotAllowed):
        report_incident(
            licence=licence,
            actor=users["charlie"],
            kind="leak",
            occurred_on=datetime.date(2026, 4, 1),
            summary="x",
            impact="x",
            measures="x",
        )
    incident = report_incident(
        licence=licence,
        actor=users["bob"],
        kind="leak",
        occurred_on=datetime.date(2026, 4, 1),
        summary="x",
        impact="x",
        measures="x",
    )
    with pytest.raises(LicenceNotAllowed):
        record_investigation(incident=incident, actor=users["alice"], findings="x")
    entry = record_investigation(
        incident=incident, actor=users["kei"], findings="拒否された", refused=True
    )
    assert entry.refused
    rec = issue_recommendation(incident=incident, actor=users["kei"], text="勧告")
    with pytest.raises(LicenceNotAllowed):
        respond_to_recommendation(recommendation=rec, actor=users["charlie"], text="x")
    close_incident(incident=incident, actor=users["kei"], reason="終了")
    with pytest.raises(LicenceError):
        issue_recommendation(incident=incident, actor=users["kei"], text="追加")


def test_future_dates_are_refused(licence, users):
    with pytest.raises(LicenceError):
        report_incident(
            licence=licence,
            actor=users["alice"],
            kind="leak",
            occurred_on=datetime.date.today() + datetime.timedelta(days=2),
            summary="x",
            impact="x",
            measures="x",
        )
