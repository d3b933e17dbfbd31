"""The home page per role: what needs me now (issue 15)."""

from __future__ import annotations

import datetime

from ssmark.committee.models import Session
from ssmark.core import clock


def test_the_applicant_sees_status_and_next_step(in_review, client_for):
    html = client_for("alice").get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'id="dash-applicant"' in html and in_review.service_name in html
    assert "対応は不要です（審査中）。" in html
    assert 'id="dash-reviewer"' not in html and 'id="dash-secretariat"' not in html


def test_the_reviewer_sees_what_is_assigned(in_review, client_for):
    html = client_for("ren").get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'id="dash-reviewer"' in html
    assert f"/reviews/{in_review.pk}/" in html
    other = client_for("taro").get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert f"/reviews/{in_review.pk}/" not in other  # TELESA's reviewer: not theirs


def test_the_secretariat_sees_late_renewals_invoices_and_the_next_session(users, client_for):
    Session.objects.create(
        date=clock.today() + datetime.timedelta(days=20), place="会議室", created_by=users["sue"]
    )
    html = client_for("sue").get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'id="dash-secretariat"' in html and "更新申請の遅れ：0 件" in html
    assert "支払期限を過ぎた請求書：0 件" in html
    assert 'id="dash-committee"' in html and "議題 0 件" in html


def test_the_late_renewal_count_is_all_of_them(users, client_for, monkeypatch):
    monkeypatch.setattr("ssmark.licences.services.late_renewals", lambda: [object()] * 25)
    html = client_for("sue").get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "更新申請の遅れ：25 件" in html


def test_a_visitor_sees_no_dashboard(client):
    assert 'id="dashboard"' not in client.get("/").content.decode()
