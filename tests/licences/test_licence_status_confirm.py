"""Suspend and revoke are separate actions, each confirmed on a page that states the
consequences and asks for the licence number typed again (issue 15)."""

from __future__ import annotations

from ssmark.core import clock
from ssmark.licences.models import LicenceStatus

REVOKE = "/licences/manage/J0001/revoke/"
SUSPEND = "/licences/manage/J0001/suspend/"


def test_the_licence_page_offers_two_separate_actions_and_changes_nothing(licence, client_for):
    page = client_for("sue").get("/licences/manage/J0001/").content.decode()
    assert 'id="suspend-link"' in page and 'id="revoke-link"' in page
    assert 'id="status-form"' not in page  # no shared one-click form
    confirm = client_for("sue").get(REVOKE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "取消は最終的なもの" in confirm
    assert "確認のため管理番号（J0001）を入力してください" in confirm
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE  # opening the page changed nothing


def test_a_wrong_number_refuses_and_keeps_what_was_typed(licence, client_for):
    r = client_for("sue").post(
        REVOKE,
        {
            "ground": "recommendation_ignored",
            "reason": "勧告に従わなかった",
            "confirm_number": "J0002",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert (
        "入力された管理番号（J0002）は、このマーク使用許諾の管理番号（J0001）と一致しません。"
        in html
    )
    assert "勧告に従わなかった" in html  # the reason is kept
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE


def test_suspend_with_the_number_records_when_it_took_effect(licence, client_for):
    r = client_for("sue").post(
        SUSPEND,
        {"ground": "report_not_made", "reason": "報告がない", "confirm_number": "j0001"},
    )
    assert r.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUSPENDED
    change = licence.status_changes.get(to_status=LicenceStatus.SUSPENDED)
    page = client_for("sue").get("/licences/manage/J0001/", HTTP_ACCEPT_LANGUAGE="ja")
    when = change.created.astimezone(clock.TOKYO)
    assert f"{when:%Y-%m-%d %H:%M} から" in page.content.decode()


def test_revoked_holder_page_no_longer_offers_the_snippet_or_incident_reports(licence, client_for):
    client_for("sue").post(
        REVOKE,
        {"ground": "recommendation_ignored", "reason": "x", "confirm_number": "J0001"},
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    alice = client_for("alice")
    page = alice.get("/licences/manage/J0001/").content.decode()
    assert 'class="snippet"' not in page and "mark.svg&quot;" not in page
    assert "/incidents/new/" not in page
    assert 'id="revoked-note"' in page
    r = alice.get("/licences/manage/J0001/incidents/new/")
    assert r.status_code == 302
    licence.refresh_from_db()
    assert not licence.incidents.exists()
    # Neither action is offered again, and a direct post is refused.
    again = client_for("sue").get(REVOKE)
    assert again.status_code == 302


def test_only_the_council_reaches_the_confirmation(licence, client_for):
    assert client_for("alice").get(REVOKE).status_code == 403
    assert client_for("kei").get(SUSPEND).status_code == 403
    assert client_for("charlie").get(REVOKE).status_code == 404


def test_the_incident_form_refuses_an_over_long_text_and_keeps_it(licence, client_for, settings):
    limit = settings.TEXT_LIMIT
    long_text = "あ" * (limit + 1)
    r = client_for("alice").post(
        "/licences/manage/J0001/incidents/new/",
        {
            "kind": "outage",
            "occurred_on": "2026-02-01",
            "summary": long_text,
            "impact": "影響",
            "measures": "対策",
        },
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert f"上限の {limit} 文字" in html
    assert long_text in html
    assert f'maxlength="{limit}"' in html
    assert not licence.incidents.exists()


def test_the_verification_page_shows_the_date_and_time_it_took_effect(licence, client_for):
    client_for("sue").post(
        SUSPEND, {"ground": "report_not_made", "reason": "報告がない", "confirm_number": "J0001"}
    )
    change = licence.status_changes.get(to_status=LicenceStatus.SUSPENDED)
    when = change.created.astimezone(clock.TOKYO)
    html = client_for("alice").get("/licences/J0001/").content.decode()
    assert f"{when:%H:%M}" in html and f"{when:%Y-%m-%d} {when:%H:%M} JST" in html
