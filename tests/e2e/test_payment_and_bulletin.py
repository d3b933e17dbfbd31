"""In the browser: rin (reception staff, JAIPA) records a partial and then the final payment on
a review-fee invoice and sees it partly paid, then paid; sue (secretariat) writes a bulletin
and sends it to the licence holders; alice (a holder) sees it in her notifications and in the
bulletins. Set SSMARK_SCREENSHOTS=<dir> to keep screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ssmark.accounts.models import Organisation, User
from ssmark.fees.models import Invoice
from ssmark.fees.services import raise_review_fee
from ssmark.notifications.models import Bulletin, BulletinStatus, Notification
from tests.fees import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SSMARK_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def invoice(users: dict[str, User], orgs: dict[str, Organisation]) -> Invoice:
    app = factories.application(
        orgs, users, service_name="サンプル光ネクスト", submitted_on=timezone.localdate()
    )
    raise_review_fee(application=app, actor=users["alice"])  # as submit() does
    return Invoice.objects.get(application=app)


def test_staff_records_payments(page, sign_in, live_server, invoice):
    sign_in("rin")
    page.goto("/fees/")
    shot(page, "fees-dashboard")
    page.get_by_role("link", name=invoice.number).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("未入金")
    page.get_by_role("link", name="入金を記録").click()
    page.get_by_label("金額（円）").fill("30000")
    page.get_by_label("参照（振込名義など）").fill("ｻﾝﾌﾟﾙﾈｯﾄ(ｶ")
    shot(page, "fees-record-payment")
    page.get_by_role("button", name="入金を記録する").click()
    expect(page.get_by_role("status")).to_contain_text("一部入金")
    expect(page.get_by_role("heading", level=1)).to_contain_text("一部入金")
    expect(page.locator(".fees-total")).to_contain_text("50,000")
    shot(page, "fees-invoice-partly-paid")
    # More than what is owed is refused, with the reason.
    page.get_by_role("link", name="入金を記録").click()
    page.get_by_label("金額（円）").fill("60000")
    page.get_by_role("button", name="入金を記録する").click()
    expect(page.locator(".errorlist")).to_contain_text("50,000")
    page.get_by_label("金額（円）").fill("50000")
    page.get_by_role("button", name="入金を記録する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("入金済")
    expect(page.get_by_role("link", name="入金を記録")).to_have_count(0)
    shot(page, "fees-invoice-paid")


def test_secretariat_sends_a_bulletin_that_the_holder_sees(page, sign_in, live_server, users, orgs):
    factories.licence(orgs, org="sample-net")
    sign_in("sue")
    page.goto("/notifications/bulletins/")
    page.get_by_role("link", name="セキュリティ情報を作成").click()
    page.get_by_label("件名").fill("DNSサーバソフトウェアの脆弱性について")
    page.get_by_label("重要度").select_option("critical")
    page.get_by_label("本文").fill("BIND 9 の脆弱性が公表されました。速やかに更新してください。")
    page.get_by_label("リンク").fill("https://www.jpcert.or.jp/at/2026/at260001.html")
    shot(page, "bulletin-form")
    page.get_by_role("button", name="下書きを保存").click()
    page.get_by_text("許諾事業者", exact=True).last.click()  # open the holder list
    expect(page.locator("details")).to_contain_text("サンプルネット株式会社")
    shot(page, "bulletin-preview")
    page.get_by_role("button", name="許諾事業者に送信する").click()
    expect(page.get_by_role("status")).to_contain_text("送信しました")
    bulletin = Bulletin.objects.get()
    assert bulletin.status == BulletinStatus.SENT
    assert Notification.objects.filter(bulletin=bulletin).count() == 3  # alice, bob, contact

    page.context.clear_cookies()
    sign_in("alice")
    page.goto("/notifications/")
    expect(page.locator(".inbox")).to_contain_text("DNSサーバソフトウェアの脆弱性について")
    shot(page, "inbox-alice")
    page.get_by_role("link", name="セキュリティ情報").first.click()
    page.get_by_role("link", name="DNSサーバソフトウェアの脆弱性について").click()
    expect(page.locator(".note-body")).to_contain_text("速やかに更新してください")
    expect(
        page.get_by_role("link", name="https://www.jpcert.or.jp/at/2026/at260001.html")
    ).to_be_visible()
    shot(page, "bulletin-alice")
