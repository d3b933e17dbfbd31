"""In the browser, in Japanese: the secretariat invites a person, who joins by the e-mailed link;
a person who forgot the password resets it by the e-mailed link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ssmark.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(body: str, pattern: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + pattern + r")", body)
    assert match, body
    return match.group(1)


def test_invitation_pages_in_japanese(page, sign_in, users, orgs):
    sign_in("sue")
    page.goto("/people/invitations/")
    expect(page.locator("h1")).to_have_text("招待")
    page.fill("input[name=email]", "hanako@isp.example")
    page.select_option("select[name=organisation]", str(orgs["sample-net"].pk))
    page.check("input[name=roles][value=applicant]")
    page.fill("input[name=family_name]", "山田")
    page.click("#invite button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("hanako@isp.example に招待を送信しました")
    expect(page.locator("table")).to_contain_text("保留中")

    link = _path(mail.outbox[-1].body, r"/people/join/\S+/")
    page.context.clear_cookies()
    page.goto(link)
    expect(page.locator("h1")).to_have_text("アカウントの設定")
    expect(page.locator("main")).to_contain_text("サインインにはメールアドレスを使います")
    expect(page.locator("input[name=family_name]")).to_have_value("山田")
    page.fill("input[name=given_name]", "花子")
    page.fill("input[name=password1]", "hanako no nagai passphrase")
    page.fill("input[name=password2]", "hanako no nagai passphrase")
    page.click("main form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("アカウントの準備ができました")
    expect(page.locator(".who")).to_contain_text("山田 花子")
    assert User.objects.get(username="hanako@isp.example").has_role("applicant")

    page.goto(link)  # used up
    expect(page.locator("main")).to_contain_text("この招待リンクは無効です")


def test_password_reset_pages_in_japanese(page, users):
    page.goto("/people/password/reset/")
    expect(page.locator("h1")).to_have_text("パスワードを忘れた場合")
    page.fill("input[name=email]", "alice@example.test")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("メールを確認してください")

    link = _path(mail.outbox[-1].body, r"/people/password/reset/[^/\s]+/[^/\s]+/")
    page.goto(link)
    expect(page.locator("h1")).to_have_text("新しいパスワードの設定")
    page.fill("input[name=new_password1]", "alice no atarashii pass")
    page.fill("input[name=new_password2]", "alice no atarashii pass")
    page.click("main form button[type=submit]")
    expect(page.locator("h1")).to_have_text("パスワードを設定しました")
    expect(page.locator("main")).to_contain_text("セッションはすべて終了しました")
    assert User.objects.get(username="alice").check_password("alice no atarashii pass")
