"""In the browser (Japanese): the holder starts the renewal from the licence page; the message
says truthfully how many items were carried over, and each item says whether it was (issue 15)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from ssmark.applications import services as applications
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet
from ssmark.core import clock
from ssmark.licences.services import issue_licence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGE_DAYS = 530  # a 2-year licence approved this long ago is inside its renewal window today


def test_renewal_says_what_was_carried_over(users, orgs, page, sign_in) -> None:
    call_command("load_catalog", verbosity=0)
    application = Application.objects.create(
        organisation=orgs["sample-net"],
        reception_body=orgs["JAIPA"],
        criteria_set=CriteriaSet.objects.get(set_id="isp-2010"),
        service_name="サンプル光",
        status=ApplicationStatus.DRAFT,
        created_by=users["alice"],
    )
    applications.save_answer(
        actor=users["alice"], application=application, item_code="1-1-1", explanation="方針あり"
    )
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.APPROVED)
    application.refresh_from_db()
    licence = issue_licence(
        application=application,
        actor=users["sue"],
        approved_on=clock.today() - datetime.timedelta(days=AGE_DAYS),
    )
    sign_in("alice")
    page.goto(f"/licences/manage/{licence.number}/")
    page.get_by_role("button", name="更新申請を始める").click()
    page.wait_for_url("**/applications/*/")
    expect(page.locator(".messages")).to_contain_text("53 項目のうち 1 項目")
    expect(page.locator("[data-carried=yes]")).to_have_count(1)
    expect(page.locator("[data-carried=no]")).to_have_count(52)
    expect(page.locator("#item-1-1-1 [data-carried=yes]")).to_have_text("前回から引継ぎ — 要再確認")
