"""In the browser (Japanese): a web address, a declaration and a file are added to items in
place, with no page reload; the explanation autosaves with a visible state; "save and next
item" opens the next item; leaving with unsaved text asks first (issue 15)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ssmark.applications.models import Evidence, ItemAnswer
from tests.applications.factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_item(page, code: str):
    item = page.locator(f"#item-{code}")
    if not item.evaluate("el => el.open"):
        item.locator("summary").click()
    return item


def test_evidence_in_place_and_autosave(draft, page, sign_in, tmp_path) -> None:
    sign_in("alice")
    page.goto(f"/applications/{draft.pk}/")
    page.evaluate("window.__notReloaded = true")
    loads = []
    page.on("load", lambda _: loads.append(1))

    # A web address on 4-1-3: the item's fragment is swapped in place.
    item = open_item(page, "4-1-3")
    expect(item.locator("summary .evidence-status")).to_have_text("証拠なし")
    item.locator("input[name=url]").fill("https://sample-net.example/terms")
    item.locator("form.url-form button[type=submit]").click()
    expect(page.locator("#item-4-1-3 .evidence")).to_contain_text("sample-net.example/terms")
    expect(page.locator("#item-4-1-3 summary .evidence-status")).to_have_text("証拠 1 件")

    # A signed declaration on 2-1-2, in place.
    item = open_item(page, "2-1-2")
    item.locator("textarea[name=statement]").fill("上記のとおり相違ないことを宣誓します。")
    item.locator("form.declaration-form button[type=submit]").click()
    expect(page.locator("#item-2-1-2 .evidence")).to_contain_text("相違ないことを宣誓します")

    # A file on 1-1-1, uploaded by the script, listed in place.
    pdf = tmp_path / "基本方針.pdf"
    pdf.write_bytes(PDF_BYTES)
    item = open_item(page, "1-1-1")
    form = item.locator("form[data-upload]").first
    form.locator("input[type=file]").set_input_files(str(pdf))
    form.get_by_role("button", name="アップロード").click()
    expect(page.locator("#item-1-1-1 .evidence")).to_contain_text("基本方針.pdf")

    assert page.evaluate("window.__notReloaded") is True
    assert loads == []
    assert Evidence.objects.filter(answer__application=draft).count() == 3

    # The explanation autosaves: "未保存" while typing, then "保存しました".
    item = page.locator("#item-1-1-1")
    area = item.locator("textarea[name=explanation]")
    area.fill("情報セキュリティ基本方針を定め、毎年見直しています。")
    expect(item.locator(".autosave-status")).to_contain_text("保存しました")
    answer = ItemAnswer.objects.get(application=draft, item__code="1-1-1")
    assert answer.explanation == "情報セキュリティ基本方針を定め、毎年見直しています。"
    expect(item.locator(".text-counter")).to_contain_text("/ 20000")

    # "Save and next item": 1-1-1 is saved, 1-1-2 opens.
    item.get_by_role("radio", name="満たしている", exact=True).check()
    expect(page.locator("#item-1-1-1 summary .badge.ok").first).to_be_visible()
    page.locator("#item-1-1-1").get_by_role("button", name="保存して次の項目へ").click()
    expect(page.locator("#item-1-1-2")).to_have_attribute("open", "")
    assert page.evaluate("window.__notReloaded") is True


def test_leaving_with_unsaved_text_asks_first(draft, page, sign_in) -> None:
    sign_in("alice")
    page.goto(f"/applications/{draft.pk}/")
    item = open_item(page, "1-1-2")
    item.locator("textarea[name=explanation]").press_sequentially("書きかけ")
    expect(item.locator(".autosave-status")).to_have_text("未保存")
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", dismiss)
    here = page.url
    page.locator("nav a").first.click()
    expect(item.locator("textarea[name=explanation]")).to_have_value("書きかけ")
    assert dialogs == ["beforeunload"] and page.url == here
