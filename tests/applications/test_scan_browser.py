"""In the browser (Japanese): alice uploads a scan report; the page says it is waiting, the
worker reads it, the page follows by itself (htmx polling) and shows the result; she then
gives one 意見書 for two findings at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ssmark.applications import scanjobs, services
from ssmark.applications.models import FindingStatement, ScanReport, ScanState
from ssmark.catalog.services import sync_sets
from ssmark.criteria import discover
from tests.applications.factories import HOSTS, nuclei_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application(users, orgs):
    sync_sets(discover())
    return services.create_application(
        actor=users["alice"],
        reception_body=orgs["JAIPA"],
        service_name="サンプルネット光",
        responsible_manager="山田 太郎",
    )


def test_upload_progress_then_result_then_one_opinion_for_two(
    page, sign_in, application, tmp_path
) -> None:
    report = tmp_path / "scan.jsonl"
    report.write_bytes(
        nuclei_report(
            [(HOSTS["web"], "weak-cipher", 5.0), (HOSTS["web"], "old-tls", 4.3)]
            + [(HOSTS["mail"], f"info-{i}", None) for i in range(3)]
        )
    )
    sign_in("alice")
    page.goto(f"/applications/{application.pk}/scan/")
    page.set_input_files("input[name=file]", str(report))
    page.get_by_role("button", name="アップロードして読み込む").click()
    expect(page.locator(".scan-progress")).to_contain_text("読み込み待ち")
    row = ScanReport.objects.get(application=application)

    assert scanjobs.run_pending() == 1  # the worker
    assert ScanReport.objects.get(pk=row.pk).state == ScanState.DONE
    # The page polls and reloads itself: the result appears without a click.
    expect(page.get_by_test_id("count-statement")).to_have_text("2", timeout=10_000)
    expect(page.get_by_test_id("findings-page")).to_contain_text("検出 5 件中 1〜5 件目")

    table = page.get_by_test_id("findings")
    for box in table.locator("input[name=key]").all():
        box.check()
    form = page.get_by_test_id("opinion-form")
    form.locator("textarea[name=statement]").fill("内部からのみ到達可能で、影響は限定的です。")
    expect(form.locator("input[name=signer_name]")).to_have_value("山田 太郎")
    form.get_by_role("button", name="意見書を保存").click()
    expect(page.locator("ul.messages")).to_contain_text("2 件の検出について意見書を保存しました")
    expect(table.get_by_text("意見書あり")).to_have_count(2)
    assert FindingStatement.objects.filter(application=application).count() == 2
