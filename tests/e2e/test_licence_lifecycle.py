"""In the browser: a licence issued by the licences service → an ISP's page embeds the snippet
→ the live mark shows → clicking it opens the verification page (有効 / active) → the
secretariat revokes the licence in the UI → a visitor now sees the 無効 mark, the verification
page says it is not valid, and the registry no longer lists it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from ssmark.accounts.models import Organisation, User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet, Scheme
from ssmark.licences.models import Licence, LicenceStatus
from ssmark.licences.services import issue_licence
from ssmark.licences.views import embed_snippet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "licences"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def isp_page(snippet: str) -> str:
    return (
        "<!doctype html><html lang='ja'><head><meta charset='utf-8'><title>サンプルネット</title>"
        "</head><body style='font-family:sans-serif'><h1>サンプル光 ご案内</h1>"
        f"<p>当社は安全・安心マークを取得しています。</p><div id='mark'>{snippet}</div></body></html>"
    )


@pytest.fixture
def licence(users: dict[str, User], orgs: dict[str, Organisation]) -> Licence:
    criteria = CriteriaSet.objects.create(
        set_id="e2e-isp",
        title="テスト基準",
        title_en="Test criteria",
        scheme=Scheme.ISP,
        applies_from=datetime.date(2010, 3, 1),
        source_sha256="0" * 64,
        definition={},
    )
    application = Application.objects.create(
        organisation=orgs["sample-net"],
        reception_body=orgs["JAIPA"],
        criteria_set=criteria,
        service_name="サンプル光",
        status=ApplicationStatus.APPROVED,
        created_by=users["alice"],
    )
    return issue_licence(
        application=application, actor=users["sue"], approved_on=timezone.localdate()
    )


def test_embed_verify_revoke(page, sign_in, live_server, settings, licence) -> None:
    settings.SITE_URL = live_server.url
    number = licence.number
    snippet = embed_snippet(number)
    assert f"{live_server.url}/licences/{number}/mark.svg" in snippet

    # The ISP's own page (not on our site) embeds the live mark.
    page.set_content(isp_page(snippet))
    img = page.locator("#mark img")
    img.wait_for()
    page.wait_for_function("document.querySelector('#mark img').complete")
    assert img.evaluate("i => i.naturalWidth") == 240  # the SVG loaded and rendered
    shot(page, "isp-page-valid")
    svg = page.request.get(f"{live_server.url}/licences/{number}/mark.svg").text()
    assert "有効" in svg and "無効" not in svg

    # Clicking the mark opens the verification page.
    img.click()
    page.wait_for_url(f"{live_server.url}/licences/{number}/")
    assert page.locator(".verdict").get_attribute("data-valid") == "true"
    assert page.locator("td.status").inner_text().startswith("有効")
    assert "Active" in page.locator("td.status").inner_text()
    assert "サンプルネット株式会社" in page.locator("td.company").inner_text()
    shot(page, "verify-valid")

    # The secretariat revokes it through the UI.
    sign_in("sue")
    page.goto(f"/licences/manage/{number}/")
    page.click("#revoke-link")
    page.wait_for_url(f"**/licences/manage/{number}/revoke/")
    page.select_option("#status-form select[name=ground]", "recommendation_ignored")
    page.fill("#status-form textarea[name=reason]", "勧告に正当な理由なく従わなかったため")
    page.fill("#status-form input[name=confirm_number]", number)
    page.click("#confirm-button")
    page.wait_for_url(f"**/licences/manage/{number}/")
    assert page.locator("#licence-status").inner_text() == "許諾取消"
    shot(page, "manage-revoked")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED

    # A visitor (a fresh browser, nothing cached) now sees the mark as not valid.
    visitor_context = page.context.browser.new_context(locale="ja-JP")
    try:
        visitor = visitor_context.new_page()
        visitor.set_content(isp_page(snippet))
        visitor.wait_for_function("document.querySelector('#mark img').complete")
        shot(visitor, "isp-page-revoked")
        svg = visitor.request.get(f"{live_server.url}/licences/{number}/mark.svg").text()
        assert "無効" in svg and "NOT VALID" in svg and "M26 0 L50 8" not in svg
        visitor.locator("#mark img").click()
        visitor.wait_for_url(f"{live_server.url}/licences/{number}/")
        assert visitor.locator(".verdict").get_attribute("data-valid") == "false"
        assert visitor.locator("td.status").inner_text().startswith("許諾取消")
        shot(visitor, "verify-revoked")
        visitor.goto(f"{live_server.url}/registry/")
        assert visitor.locator(f"tr[data-number='{number}']").count() == 0
        shot(visitor, "registry-after-revocation")
    finally:
        visitor_context.close()
