"""In the browser: an application that passed the first review → the secretariat schedules a
session (the application joins its agenda), opens it, records "approved" → the licence number
appears, and the public verification page shows the licence."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ssmark.accounts.models import Organisation, User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet, Item, ItemKind
from ssmark.catalog.services import sync_sets
from ssmark.committee.models import Session
from ssmark.criteria import discover
from ssmark.licences.models import Licence
from ssmark.reviews.models import Decision, FindingValue, FirstReview, ReviewFinding
from tests.conftest import posted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SSMARK_SCREENSHOTS")  # a directory: save screenshots there


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def passed(users: dict[str, User], orgs: dict[str, Organisation]) -> Application:
    sync_sets(discover())
    application = Application.objects.create(
        organisation=orgs["sample-net"],
        reception_body=orgs["TELESA"],
        criteria_set=CriteriaSet.objects.get(set_id="isp-2010"),
        service_name="サンプル光プレミアム",
        status=ApplicationStatus.FIRST_REVIEW_PASSED,
        created_by=users["alice"],
        submitted_on=timezone.localdate(),
        no_incidents=True,
    )
    FirstReview.objects.create(
        application=application,
        reviewer=users["taro"],
        assigned_by=users["tomo"],
        assigned_at=timezone.now(),
        decision=Decision.PASSED,
        reasons="全項目を確認",
        decided_by=users["taro"],
        decided_at=timezone.now(),
    )
    # The reviewer found every item met (graded items: 5): the official verdict passes.
    ReviewFinding.objects.bulk_create(
        ReviewFinding(
            application=application,
            item=item,
            version=1,
            updated_by=users["taro"],
            finding="" if item.kind_for("new") == ItemKind.GRADED else FindingValue.MET,
            grade=5 if item.kind_for("new") == ItemKind.GRADED else None,
        )
        for item in Item.objects.filter(criteria_set=application.criteria_set)
    )
    return application


def test_committee_approval_issues_a_licence(page, sign_in, live_server, passed) -> None:
    sign_in("sue")
    page.goto("/committee/")
    shot(page, "sessions")
    # The secretariat sees proposed dates and schedules a session for today.
    assert page.locator(".proposals li").count() >= 1
    page.get_by_role("link", name="委員会の開催を設定する").click()
    page.fill("input[name=date]", timezone.localdate().isoformat())
    page.fill("input[name=place]", "推進協議会 会議室")
    # People are shown by name; the fixture users have none, so by their address.
    page.select_option("select[name=chair]", label="kei@example.test")
    page.get_by_role("checkbox", name="kei@example.test").check()
    shot(page, "session_form")
    page.get_by_role("button", name="設定する").click()

    # The application that passed the first review joined the agenda by itself.
    page.wait_for_url(re.compile(r"/committee/sessions/\d+/$"))
    agenda = page.locator("table.agenda")
    assert "サンプル光プレミアム" in agenda.inner_text()
    with posted(page):
        page.get_by_role("button", name="開会する").click()
    expect(page.locator("[data-status=held]").first).to_be_visible()
    shot(page, "session_open")

    page.get_by_role("link", name="審議・決定").click()
    assert page.get_by_test_id("verdict").inner_text() == "合格"
    page.get_by_label("承認", exact=True).check()
    shot(page, "item_form")
    with posted(page):
        page.get_by_role("button", name="決定を記録する").click()

    number = page.get_by_test_id("licence-number").inner_text().strip()
    assert re.fullmatch(r"T\d{4}", number), number
    shot(page, "item_decided")
    licence = Licence.objects.get(application=passed)
    assert licence.number == number
    assert Session.objects.get().items.get().decision == "approved"

    # The public verification page shows the licence.
    page.get_by_role("link", name="公開の確認ページ").click()
    page.wait_for_url(f"**/licences/{number}/")
    body = page.locator("body").inner_text()
    assert number in body and "サンプル光プレミアム" in body
    shot(page, "verify")
