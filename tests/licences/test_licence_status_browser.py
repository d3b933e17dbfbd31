"""In the browser, in Japanese: the secretariat suspends, then revokes, a licence through the
confirmation pages (consequences stated, licence number typed); the holder's page then offers
neither the embed tag nor incident reporting (issue 15)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ssmark.licences.models import LicenceStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suspend_then_revoke_with_confirmation(licence, page, sign_in):
    sign_in("sue")
    page.goto("/licences/manage/J0001/")
    page.click("#suspend-link")
    page.wait_for_url("**/licences/manage/J0001/suspend/")
    expect(page.locator("#consequences")).to_contain_text("直ちに効力を生じます")
    expect(page.locator("#consequences")).to_contain_text("後から解除できます")
    page.select_option("select[name=ground]", "report_not_made")
    page.fill("textarea[name=reason]", "報告の求めに応じないため")
    page.fill("input[name=confirm_number]", "J0009")
    page.click("#confirm-button")
    expect(page.locator("#status-form")).to_contain_text("一致しません")
    expect(page.locator("textarea[name=reason]")).to_have_value("報告の求めに応じないため")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    page.fill("input[name=confirm_number]", "J0001")
    page.click("#confirm-button")
    page.wait_for_url("**/licences/manage/J0001/")
    expect(page.locator("#licence-status")).to_have_text("使用停止中")
    expect(page.locator("#status-effective")).to_contain_text("から")

    page.click("#revoke-link")
    page.wait_for_url("**/licences/manage/J0001/revoke/")
    expect(page.locator("#consequences")).to_contain_text("取消は最終的なもの")
    page.select_option("select[name=ground]", "recommendation_ignored")
    page.fill("textarea[name=reason]", "勧告に従わなかったため")
    page.fill("input[name=confirm_number]", "J0001")
    page.click("#confirm-button")
    page.wait_for_url("**/licences/manage/J0001/")
    expect(page.locator("#licence-status")).to_have_text("許諾取消")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED

    page.context.clear_cookies()
    sign_in("alice")
    page.goto("/licences/manage/J0001/")
    expect(page.locator("#revoked-note")).to_be_visible()
    expect(page.locator("textarea.snippet")).to_have_count(0)
    expect(page.get_by_text("事故を報告する")).to_have_count(0)
