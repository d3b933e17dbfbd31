"""The reviewer's shortcuts (issue 15): "mark the remaining items as met" after a confirmation
that lists them, the return form prefilled from the worksheet's comments, the queue searched by
service or company and sorted by waiting time."""

from __future__ import annotations

from django.urls import reverse

from ssmark.catalog.models import ItemKind
from ssmark.core.models import AuditEntry
from ssmark.reviews.models import FindingValue, ReviewFinding


def test_mark_remaining_met_lists_them_then_records_them(in_review, users, client_for, rh):
    rh.record(in_review, users["ren"], "1-1-1", finding=FindingValue.NOT_MET, comment="規程なし")
    ren = client_for("ren")
    url = reverse("reviews:mark_met", args=[in_review.pk])
    page = ren.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    findings = ReviewFinding.objects.filter(application=in_review).select_related("item")
    graded = [
        f.item.code for f in findings if f.item.kind_for(in_review.review_type) == ItemKind.GRADED
    ]
    assert 'value="1-1-2"' in page and 'value="1-1-1"' not in page
    assert all(f'value="{code}"' not in page for code in graded)
    assert not ReviewFinding.objects.filter(application=in_review, finding="met").exists()
    codes = [f.item.code for f in findings if f.item.code != "1-1-1" and f.item.code not in graded]
    r = ren.post(url, {"item": codes})
    assert r.status_code == 302
    met = set(
        ReviewFinding.objects.filter(application=in_review, finding="met").values_list(
            "item__code", flat=True
        )
    )
    assert met == set(codes)
    assert ReviewFinding.objects.get(application=in_review, item__code="1-1-1").finding == "not_met"
    entry = AuditEntry.objects.get(action="ssmark.application.findings_bulk_met")
    assert sorted(entry.data["items"]) == sorted(codes)


def test_only_the_assigned_reviewer_marks(in_review, client_for):
    url = reverse("reviews:mark_met", args=[in_review.pk])
    assert client_for("taro").get(url).status_code == 404
    assert client_for("rin").post(url, {"item": ["1-1-2"]}).status_code == 403
    assert not ReviewFinding.objects.filter(application=in_review, finding="met").exists()


def test_the_return_form_is_prefilled_from_the_worksheet(in_review, users, client_for, rh):
    rh.record(in_review, users["ren"], "1-1-1", finding=FindingValue.NOT_MET, comment="規程がない")
    rh.record(in_review, users["ren"], "1-1-2", finding=FindingValue.MET, comment="良い")
    page = client_for("ren").get(reverse("reviews:return", args=[in_review.pk])).content.decode()
    assert "規程がない</textarea>" in page
    assert "良い</textarea>" not in page  # met items bring nothing
    assert 'id="prefilled-note"' in page


def test_the_queue_is_searched_and_sorted_by_waiting_time(submitted, client_for):
    from ssmark.applications.models import Application

    first = submitted(service="みなと光")
    second = submitted(service="さくらWi-Fi")
    Application.objects.filter(pk=first.pk).update(
        submitted_on=first.submitted_on.replace(year=2025)
    )
    rin = client_for("rin")
    page = rin.get(reverse("reviews:queue"), {"q": "さくら"}).content.decode()
    assert "さくらWi-Fi" in page and "みなと光" not in page
    page = rin.get(reverse("reviews:queue")).content.decode()
    assert page.index("みなと光") < page.index("さくらWi-Fi")  # waiting longest first
    page = rin.get(reverse("reviews:queue"), {"sort": "newest"}).content.decode()
    assert page.index("さくらWi-Fi") < page.index("みなと光")
    assert (
        rin.get(reverse("reviews:queue"), {"q": "サンプルネット"})
        .content.decode()
        .count('id="app-')
        == 2
    )  # by company
    assert second.pk


def test_an_over_long_comment_is_refused_with_the_limit_and_kept(in_review, client_for, settings):
    limit = settings.TEXT_LIMIT
    finding = ReviewFinding.objects.select_related("item").get(
        application=in_review, item__code="1-1-1"
    )
    text = "指" * (limit + 1)
    prefix = f"item-{finding.item.pk}"
    r = client_for("ren").post(
        reverse("reviews:finding", args=[in_review.pk, finding.item.pk]),
        {f"{prefix}-finding": "not_met", f"{prefix}-comment": text, f"{prefix}-version": 0},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    html = r.content.decode()
    assert f"上限の {limit} 文字" in html and text in html
    finding.refresh_from_db()
    assert finding.comment == "" and finding.finding == ""
