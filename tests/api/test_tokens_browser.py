"""In the browser (Japanese): alice goes from her security page to the API tokens, makes a
write token (shown once), uses it, and revokes it after confirming."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from ssmark.api.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_makes_uses_and_revokes_a_token(page, sign_in, users) -> None:  # type: ignore[no-untyped-def]
    sign_in("alice")
    page.goto("/accounts/security/")
    page.get_by_role("link", name="API トークンの作成・確認・失効").click()
    expect(page.locator("h1")).to_have_text("APIトークン")
    page.fill("input[name=name]", "脆弱性診断の自動アップロード")
    page.fill("input[name=days]", "30")
    page.get_by_label("読み取りと書き込み").check()
    page.get_by_role("button", name="トークンを作成する").click()
    secret = page.locator("#new-token")
    expect(secret).to_have_text(re.compile(r"^ssm_"))
    token = secret.inner_text()
    me = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me/").json()
    assert me["username"] == "alice" and me["token_scope"] == "write"

    page.goto("/api/tokens/")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    row = page.locator("tr", has_text="脆弱性診断の自動アップロード")
    expect(row).to_contain_text("有効")
    row.get_by_label("失効させる（このトークンを使うスクリプトは動かなくなります）").check()
    row.get_by_role("button", name="このトークンを失効させる").click()
    expect(page.locator("tr", has_text="脆弱性診断の自動アップロード")).to_contain_text("失効済み")
    assert ApiToken.objects.get().revoked_at is not None
    assert (
        Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me/").status_code == 401
    )
