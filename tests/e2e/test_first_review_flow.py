"""In the browser, the whole first review: alice fills in the last items and submits; rin
(reception, JAIPA) assigns ren; ren records findings (saved per item without reloading, the
official verdict updating live) and returns one item with a comment; alice sees the comment,
fixes the item and resubmits; ren sees what changed and passes the application. charlie (another
company) is refused alice's application.

Most answers are prefilled through the services (the browser does the last ones); set
SSMARK_SCREENSHOTS=<dir> to keep screenshots of the worksheet.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Locator, expect

from ssmark.accounts.models import Organisation, User
from ssmark.applications import services as app_services
from ssmark.applications.models import Application, ApplicationStatus, Claim, ItemAnswer
from ssmark.catalog.models import Item, ItemKind
from ssmark.catalog.services import sync_sets
from ssmark.criteria import discover
from ssmark.reviews import services
from ssmark.reviews.models import FindingValue, FirstReview, ReviewFinding
from tests.applications.factories import full_audit
from tests.conftest import posted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SSMARK_SCREENSHOTS")
LAST_ITEMS = ("7-6-2", "7-6-3")  # answered by alice in the browser
RETURN_COMMENT = "漏えい時の本人通知の手順書が添付されていません。手順書を添付してください。"
FIXED_EXPLANATION = "漏えい時の本人通知手順書（第3版）を添付しました。"


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


HOSTS = {
    "dns": "192.0.2.53",
    "mail": "192.0.2.25",
    "web": "192.0.2.80",
    "auth": "192.0.2.18",
    "router": "192.0.2.1",
}


def clean_scan() -> bytes:
    when = datetime.datetime.now(datetime.UTC).isoformat()
    return "".join(
        json.dumps(
            {
                "template-id": f"info-{role}",
                "info": {"name": f"check {role}"},
                "host": ip,
                "ip": ip,
                "port": "443",
                "type": "http",
                "timestamp": when,
            }
        )
        + "\n"
        for role, ip in HOSTS.items()
    ).encode()


@pytest.fixture
def draft(users: dict[str, User], orgs: dict[str, Organisation]) -> Application:
    """alice's application to JAIPA with every item but LAST_ITEMS answered."""
    sync_sets(discover())
    alice = users["alice"]
    application = app_services.create_application(
        actor=alice,
        service_name="サンプル光ネクスト",
        reception_body=orgs["JAIPA"],
        responsible_manager="山田 太郎",
        pim_manager="佐藤 花子",
    )
    app_services.upload_scan_report(
        actor=alice,
        application=application,
        upload=SimpleUploadedFile("scan.jsonl", clean_scan(), "application/json"),
    )
    app_services.set_host_roles(
        actor=alice, application=application, roles={ip: [r] for r, ip in HOSTS.items()}
    )
    full_audit(application, alice)  # claiming 1-1-2 met needs every audit item covered
    answers = []
    for item in Item.objects.filter(criteria_set_id=application.criteria_set_id):
        if item.code in LAST_ITEMS:
            continue
        graded = item.kind_for(application.review_type) == ItemKind.GRADED
        answers.append(
            ItemAnswer(
                application=application,
                item=item,
                claim="" if graded else Claim.MET,
                grade=4 if graded else None,
                explanation=f"{item.code} の対応状況を記載しました。",
                updated_by=alice,
                version=1,
            )
        )
    ItemAnswer.objects.bulk_create(answers)
    app_services.declare_no_incidents(actor=alice, application=application)
    return application


def switch_user(page, sign_in, username: str) -> None:
    page.context.clear_cookies()
    sign_in(username)


def item_pk(application: Application, code: str) -> int:
    return Item.objects.get(criteria_set_id=application.criteria_set_id, code=code).pk


def status(application: Application) -> str:
    application.refresh_from_db()
    return application.status


def test_first_review_flow(page, sign_in, live_server, draft, users) -> None:
    app = draft
    detail = f"/applications/{app.pk}/"
    worksheet = f"/reviews/{app.pk}/"

    # --- alice answers the last items and submits ----------------------------------------
    sign_in("alice")
    page.goto(detail)
    for code in LAST_ITEMS:
        item = page.locator(f"#item-{code}")
        item.locator("summary").click()
        item.locator("textarea[name=explanation]").fill(f"{code}：手順書に定めています。")
        item.locator("input[name=claim][value=met]").check()
        expect(page.locator(f"#item-{code} summary .badge.ok")).to_be_visible()
    assert (
        ItemAnswer.objects.filter(application=app, item__code__in=LAST_ITEMS, claim="met").count()
        == 2
    )
    page.goto(f"/applications/{app.pk}/submit/")
    page.check("input[name=confirm]")
    with posted(page):
        page.locator("form.panel button[type=submit]").click()
    assert status(app) == ApplicationStatus.SUBMITTED

    # --- rin (reception, JAIPA) assigns ren -------------------------------------------------
    switch_user(page, sign_in, "rin")
    page.goto("/reviews/")
    row = page.locator(f"#app-{app.pk}")
    expect(row).to_contain_text("サンプル光ネクスト")
    row.locator("select[name=reviewer]").select_option(str(users["ren"].pk))
    with posted(page):
        row.locator("button[type=submit]").click()
    assert status(app) == ApplicationStatus.IN_FIRST_REVIEW
    assert FirstReview.objects.get(application=app).reviewer == users["ren"]

    # --- ren records findings (most prefilled), returns 7-6-3 with a comment ----------------
    ren = users["ren"]
    for finding in ReviewFinding.objects.filter(application=app).select_related("item"):
        if finding.item.code in (*LAST_ITEMS, "1-1-1", "7-1-1"):
            continue
        graded = finding.item.kind_for(app.review_type) == ItemKind.GRADED
        services.record_finding(
            actor=ren,
            application=app,
            item=finding.item,
            finding="" if graded else FindingValue.MET,
            grade=4 if graded else None,
            expected_version=finding.version,
        )
    switch_user(page, sign_in, "ren")
    page.goto(worksheet)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    expect(page.locator("#pass-button")).to_be_disabled()

    # Findings save themselves (a choice at once, a comment when its field is left): no
    # "save" click, no reload. Each step waits for its own autosave answer.
    def autosaved(code: str, act: Callable[[Locator], None]) -> None:
        cell = page.locator(f"#finding-{item_pk(app, code)}")
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/finding/")
        ):
            act(cell)
        expect(page.locator(f"#finding-{item_pk(app, code)} .saved")).to_be_visible()

    autosaved("1-1-1", lambda cell: cell.locator("input[value=met]").check())
    page.locator(f"#finding-{item_pk(app, '1-1-1')} textarea").fill(
        "基本方針と適用範囲を確認した。"
    )
    autosaved("1-1-1", lambda cell: cell.locator("textarea").blur())
    autosaved("7-1-1", lambda cell: cell.locator("select").select_option("3"))
    autosaved("7-6-2", lambda cell: cell.locator("input[value=met]").check())
    autosaved("7-6-3", lambda cell: cell.locator("input[value=not_met]").check())
    page.locator(f"#finding-{item_pk(app, '7-6-3')} textarea").fill(
        "本人通知の手順が確認できない。"
    )
    autosaved("7-6-3", lambda cell: cell.locator("textarea").blur())
    # The official verdict updated in place: 7-6-3 (mandatory) is not met, so no pass.
    expect(page.locator("#verdict")).to_contain_text("7-6-3")
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bfails\b"))
    expect(page.locator("#pass-button")).to_be_disabled()
    assert page.evaluate("window.__sameDocument") is True
    shot(page, "worksheet-in-review")

    page.get_by_role("link", name="差戻しコメントを書く").click()
    page.fill("textarea[name='comment_7-6-3']", RETURN_COMMENT)
    page.fill("textarea[name=overall_comment]", "1項目の修正をお願いします。")
    with posted(page):
        page.get_by_role("button", name="申請者に差し戻す").click()
    assert status(app) == ApplicationStatus.RETURNED

    # --- alice sees the comment, fixes the item and resubmits -------------------------------
    switch_user(page, sign_in, "alice")
    page.goto(detail)
    expect(page.locator("#item-7-6-3")).to_contain_text(RETURN_COMMENT)
    page.locator("#item-7-6-3").scroll_into_view_if_needed()
    shot(page, "applicant-sees-return-comment")
    item = page.locator("#item-7-6-3")
    if item.get_attribute("open") is None:
        item.locator("summary").click()
    item.locator("textarea[name=explanation]").fill(FIXED_EXPLANATION)
    with page.expect_response(lambda r: r.url.endswith("/items/7-6-3/answer/")):
        item.locator("form.answer-form").get_by_role("button", name="保存", exact=True).click()
    assert ItemAnswer.objects.get(application=app, item__code="7-6-3").explanation == (
        FIXED_EXPLANATION
    )
    page.goto(f"/applications/{app.pk}/submit/")
    page.check("input[name=confirm]")
    with posted(page):
        page.locator("form.panel button[type=submit]").click()
    assert status(app) == ApplicationStatus.RESUBMITTED

    # --- ren takes up the resubmission, sees what changed, and passes it ---------------------
    switch_user(page, sign_in, "ren")
    page.goto(worksheet)
    with posted(page):
        page.get_by_role("button", name="再提出を受け付けて審査を再開").click()
    assert status(app) == ApplicationStatus.IN_FIRST_REVIEW
    changed = page.locator("#item-7-6-3")
    expect(changed).to_have_class(re.compile(r"\bchanged\b"))
    expect(changed.locator(".change-box")).to_contain_text("7-6-3：手順書に定めています。")
    expect(changed).to_contain_text(FIXED_EXPLANATION)
    expect(page.locator("#item-7-6-2")).not_to_have_class(re.compile(r"\bchanged\b"))
    page.locator("#item-7-6-3").scroll_into_view_if_needed()
    shot(page, "worksheet-changed-since-last-round")

    cell = page.locator(f"#finding-{item_pk(app, '7-6-3')}")
    cell.locator("input[value=met]").check()
    cell.locator("textarea").fill("手順書（第3版）で確認した。")
    cell.get_by_role("button").click()
    expect(page.locator(f"#finding-{item_pk(app, '7-6-3')} .saved")).to_be_visible()
    expect(page.locator("#verdict")).to_have_class(re.compile(r"\bpasses\b"))
    expect(page.locator("#pass-button")).to_be_enabled()
    page.fill("#decision textarea[name=reasons]", "全項目を確認し、基準を満たしている。")
    with posted(page):
        page.locator("#pass-button").click()
    assert status(app) == ApplicationStatus.FIRST_REVIEW_PASSED
    review = FirstReview.objects.get(application=app)
    assert review.decision == "passed" and not review.override
    page.goto(worksheet)
    shot(page, "worksheet-passed")

    # --- charlie (another company) is refused ------------------------------------------------
    switch_user(page, sign_in, "charlie")
    assert page.goto(detail).status == 404
    assert page.goto(worksheet).status == 404
