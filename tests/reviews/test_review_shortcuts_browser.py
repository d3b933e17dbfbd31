"""In the browser (Japanese): the first reviewer's finding saves as soon as it is chosen (no
Save click), and "mark the remaining items as met" goes through its confirmation page, which
lists the items (issue 15)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ssmark.reviews.models import ReviewFinding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_autosaved_finding_and_mark_remaining_met(in_review, page, sign_in) -> None:
    sign_in("ren")
    page.goto(f"/reviews/{in_review.pk}/")
    item = ReviewFinding.objects.get(application=in_review, item__code="1-1-1").item
    cell = page.locator(f"#finding-{item.pk}")
    cell.locator("input[type=radio][value=not_met]").check()
    expect(page.locator(f"#finding-{item.pk} .saved")).to_be_visible()
    assert ReviewFinding.objects.get(application=in_review, item=item).finding == "not_met"

    page.click("#mark-met-link")
    page.wait_for_url(f"**/reviews/{in_review.pk}/mark-met/")
    listed = page.locator("ul.mark-met-list li")
    expect(listed.first).to_contain_text("1-1-2")
    expect(page.locator("ul.mark-met-list")).not_to_contain_text("1-1-1 ")
    count = listed.count()
    assert not ReviewFinding.objects.filter(application=in_review, finding="met").exists()
    page.click("#confirm-mark-met")
    page.wait_for_url(f"**/reviews/{in_review.pk}/")
    expect(page.locator(".messages")).to_contain_text(f"{count} 項目を「適合」として記録しました")
    assert ReviewFinding.objects.filter(application=in_review, finding="met").count() == count
    assert ReviewFinding.objects.get(application=in_review, item=item).finding == "not_met"
