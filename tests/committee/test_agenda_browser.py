"""In the browser (Japanese): the secretariat brings an application to an earlier session with
a reason, opens that session before its date with a reason, and deletes a later session after
its confirmation page (issue 15)."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from ssmark.committee import services
from ssmark.committee.models import AgendaItem, Session, SessionStatus
from ssmark.core import clock
from ssmark.core.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days(n: int) -> datetime.date:
    return clock.today() + datetime.timedelta(days=n)


def test_move_open_early_and_delete(make_application, make_session, users, page, sign_in) -> None:
    late = make_session(days(100))
    application = make_application(service_name="みなと光")
    services.place_on_agenda(application=application, actor=users["sue"], session=late)
    soon = make_session(days(7))
    sign_in("sue")

    page.goto(f"/committee/sessions/{soon.pk}/")
    page.locator("#movable a.bring-here").click()
    page.wait_for_url("**/move/?to=*")
    page.fill("textarea[name=reason]", "早期に審議するため")
    page.click("#move-button")
    page.wait_for_url(f"**/committee/sessions/{soon.pk}/")
    expect(page.locator("table.agenda")).to_contain_text("みなと光")
    assert AgendaItem.objects.get(application=application, decision="").session == soon

    page.locator("#open-early summary").click()
    page.fill("#open-early textarea[name=reason]", "委員全員の都合が早まったため")
    page.click("#open-early-button")
    page.wait_for_url(f"**/committee/sessions/{soon.pk}/")
    soon.refresh_from_db()
    assert soon.status == SessionStatus.HELD
    assert AuditEntry.objects.get(action="ssmark.committee.session_opened").comment

    page.goto(f"/committee/sessions/{late.pk}/")
    page.click("#delete-session")
    page.wait_for_url(f"**/committee/sessions/{late.pk}/delete/")
    expect(page.locator("#consequences")).to_contain_text("削除されます")
    assert Session.objects.filter(pk=late.pk).exists()
    page.click("#confirm-delete")
    page.wait_for_url("**/committee/")
    assert not Session.objects.filter(pk=late.pk).exists()
