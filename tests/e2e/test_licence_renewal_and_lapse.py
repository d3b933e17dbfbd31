"""In the browser: the holder starts the renewal of its licence from the licence page; the
renewal goes through the first and second review; the public verification page then shows
the same number with the extended validity; when the licence later expires without a further
renewal, the daily job lapses it and the mark and verification page say it is not valid."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from ssmark.accounts.models import Organisation, User
from ssmark.applications import services as applications
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet, ReviewType
from ssmark.committee import services as committee
from ssmark.committee.models import AgendaDecision, AgendaItem
from ssmark.fees import services as fees
from ssmark.fees.models import FeeKind, Invoice
from ssmark.licences.models import Licence, LicenceStatus
from ssmark.licences.services import issue_licence
from ssmark.reviews import services as reviews
from tests.conftest import posted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Approved this many days ago, a 2-year licence is inside its renewal window today
# (the window opens 240 days and closes 150 days before expiry; see licences/scheme.yaml).
AGE_DAYS = 530


@pytest.fixture
def licence(users: dict[str, User], orgs: dict[str, Organisation]) -> Licence:
    call_command("load_catalog", verbosity=0)
    approved_on = timezone.localdate() - datetime.timedelta(days=AGE_DAYS)
    application = Application.objects.create(
        organisation=orgs["sample-net"],
        reception_body=orgs["JAIPA"],
        criteria_set=CriteriaSet.objects.get(set_id="isp-2010"),
        service_name="サンプル光",
        status=ApplicationStatus.APPROVED,
        created_by=users["alice"],
    )
    return issue_licence(application=application, actor=users["sue"], approved_on=approved_on)


def _approve_renewal(renewal: Application, users: dict[str, User]) -> None:
    """The renewal's first and second review, through the same services the pages use."""
    applications.declare_no_incidents(actor=users["alice"], application=renewal)
    applications.submit(actor=users["alice"], application=renewal)
    reviews.assign_reviewer(actor=users["rin"], application=renewal, reviewer=users["ren"])
    reviews.decide(
        actor=users["ren"],
        application=renewal,
        decision="passed",
        override=True,
        override_reason="更新審査：前回審査からの変更点を確認済み",
    )
    # The scheme refuses to grant a renewal while an annual fee is overdue: pay it first.
    for invoice in Invoice.objects.filter(fee_kind=FeeKind.ANNUAL):
        owed = fees.balance(invoice).outstanding
        if owed:
            fees.record_payment(
                invoice=invoice,
                received_on=timezone.localdate(),
                amount=owed,
                method="bank_transfer",
                reference="e2e",
                actor=users["sue"],
            )
    session = committee.schedule_session(
        actor=users["sue"],
        date=timezone.localdate(),
        online=True,
        chair=users["kei"],
        members=[users["kei"]],
    )
    committee.open_session(session=session, actor=users["sue"])
    item = AgendaItem.objects.get(session=session, application=renewal)
    committee.record_decision(
        agenda_item=item,
        decision=AgendaDecision.APPROVED,
        reasons="",
        actor=users["sue"],
        members_present=[users["kei"]],
    )


def test_renew_then_lapse(page, sign_in, live_server, licence, users) -> None:
    number, old_until = licence.number, licence.valid_until

    # The holder starts the renewal from its licence page.
    sign_in("alice")
    page.goto(f"/licences/manage/{number}/")
    with posted(page):
        page.click(f"form[action='/licences/manage/{number}/renew/'] button[type=submit]")
    renewal = Application.objects.get(review_type=ReviewType.RENEWAL)
    page.wait_for_url(f"**/applications/{renewal.pk}/")
    assert "更新" in page.locator("main").inner_text()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.RENEWAL_PENDING

    _approve_renewal(renewal, users)

    # Same number, new period, shown to any visitor.
    licence.refresh_from_db()
    assert licence.number == number and licence.status == LicenceStatus.ACTIVE
    assert licence.valid_from == old_until + datetime.timedelta(days=1)
    page.goto(f"/licences/{number}/")
    text = page.locator("main, body").first.inner_text()
    assert licence.valid_until.isoformat() in text
    assert page.locator(".verdict").get_attribute("data-valid") == "true"

    # Expiry without a further renewal: the daily job lapses it (run for the day after expiry).
    day_after = licence.valid_until + datetime.timedelta(days=1)
    call_command("lapse_licences", "--date", day_after.isoformat(), verbosity=0)
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.LAPSED
    # A visitor after the lapse (a fresh browser: the pages are cacheable for a short time).
    context = page.context.browser.new_context(locale="ja-JP", base_url=live_server.url)
    try:
        visitor = context.new_page()
        visitor.goto(f"/licences/{number}/")
        assert visitor.locator(".verdict").get_attribute("data-valid") == "false"
        assert visitor.locator("td.status").get_attribute("data-status") == "lapsed"
        svg = visitor.request.get(f"{live_server.url}/licences/{number}/mark.svg").text()
        assert "無効" in svg
        visitor.goto("/registry/")
        assert visitor.locator(f"tr[data-number='{number}']").count() == 0
    finally:
        context.close()
