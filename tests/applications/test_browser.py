"""In the browser (Japanese): alice creates an application, answers items (the readiness
panel follows live), uploads a PDF with the progress indicator and sees it listed, declares
that there were no incidents and submits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ssmark.applications.models import Application, ApplicationStatus, Evidence
from ssmark.catalog.services import sync_sets
from ssmark.criteria import discover
from tests.applications.factories import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def loaded(users):
    sync_sets(discover())
    return users


def test_alice_fills_and_submits(page, sign_in, loaded, tmp_path) -> None:
    sign_in("alice")
    page.goto("/applications/")
    page.get_by_role("link", name="新規申請").click()
    page.fill("input[name=service_name]", "サンプルネット光プラス")
    page.select_option("select[name=reception_body]", label="日本インターネットプロバイダー協会")
    page.fill("input[name=responsible_manager]", "山田 太郎")
    page.fill("input[name=responsible_manager_email]", "yamada@sample-net.example")
    page.fill("input[name=pim_manager]", "佐藤 花子")
    page.fill("input[name=pim_manager_email]", "sato@sample-net.example")
    page.get_by_role("button", name="下書きを作成").click()
    expect(page.locator("h1")).to_have_text("サンプルネット光プラス")
    app = Application.objects.get(service_name="サンプルネット光プラス")

    panel = page.locator("#readiness")
    expect(panel.locator("[data-testid=points]")).to_have_text("0")
    expect(panel.locator("[data-testid=mandatory]")).to_have_text("0 / 25")

    # A mandatory item: choosing "met" saves at once (htmx) and the panel follows.
    item = page.locator("#item-1-1-1")
    item.locator("summary").click()
    item.locator("textarea[name=explanation]").fill("情報セキュリティ基本方針に定めています。")
    item.get_by_role("radio", name="満たしている", exact=True).check()
    expect(panel.locator("[data-testid=mandatory]")).to_have_text("1 / 25")
    expect(page.locator("#item-1-1-1 summary .badge.ok")).to_have_text("満たしている")

    # A 3-point item: the points change.
    item = page.locator("#item-1-1-3")
    item.locator("summary").click()
    item.get_by_role("radio", name="満たしている", exact=True).check()
    expect(panel.locator("[data-testid=points]")).to_have_text("3")

    # An item graded at review: no grade to choose, the panel says the reviewer grades it.
    item = page.locator("#item-7-1-1")
    item.locator("summary").click()
    expect(item.locator("[data-testid=graded-at-review]")).to_have_text("審査で評点")
    expect(item.locator("select[name=grade]")).to_have_count(0)
    expect(panel.locator("[data-testid=at-review]")).to_contain_text("審査で評点")
    expect(panel.locator("[data-testid=points]")).to_have_text("3")

    # Upload a PDF on 1-1-1: the progress indicator runs, the file is listed.
    pdf = tmp_path / "情報セキュリティ基本方針.pdf"
    pdf.write_bytes(PDF_BYTES)
    item = page.locator("#item-1-1-1")
    if not item.evaluate("el => el.open"):
        item.locator("summary").click()
    upload_form = item.locator("form[data-upload]").first
    upload_form.locator("input[type=file]").set_input_files(str(pdf))
    upload_form.get_by_role("button", name="アップロード").click()
    # In place: the item's fragment is swapped, the page is not reloaded.
    expect(page.locator("#item-1-1-1 .evidence")).to_contain_text("情報セキュリティ基本方針.pdf")
    expect(page.locator("#item-1-1-1 summary .evidence-status")).to_have_text("証拠 1 件")
    assert Evidence.objects.filter(answer__application=app).count() == 1

    # A file that is not what its name says is refused with a message naming it.
    exe = tmp_path / "policy.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    item = page.locator("#item-1-1-1")
    upload_form = item.locator("form[data-upload]").first
    upload_form.locator("input[type=file]").set_input_files(str(exe))
    upload_form.get_by_role("button", name="アップロード").click()
    expect(item.locator(".item-error")).to_contain_text("policy.pdf")
    expect(item.locator(".item-error")).to_contain_text("Windows")
    assert Evidence.objects.filter(answer__application=app).count() == 1

    # Submitting needs the incident declaration.
    page.get_by_role("link", name="事故の申告", exact=True).click()
    expect(page.locator("[data-testid=incident-status]")).to_contain_text("まだ")
    page.get_by_role("button", name="「事故なし」を申告").click()
    expect(page.locator("[data-testid=incident-status]")).to_contain_text("申告済み")

    page.get_by_role("link", name="提出", exact=True).click()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="申請を提出").click()
    expect(page.locator(".app-head .badge")).to_have_text("提出済み")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.submitted_on is not None
    # Locked now: no answer forms on the page.
    expect(page.locator("form.answer-form")).to_have_count(0)
