"""The applicant answers the reviewer's comments per item; the reviewer sees the answers on the
worksheet beside the changes (issue 15)."""

from __future__ import annotations

from django.urls import reverse

from ssmark.applications import services as app_services
from ssmark.core.models import AuditEntry
from ssmark.reviews import services
from ssmark.reviews.models import ReturnComment


def test_the_applicant_answers_and_the_reviewer_reads_it(in_review, users, client_for):
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "規程の写しがありません"}
    )
    comment = ReturnComment.objects.get(round__application=in_review)
    url = reverse("reviews:reply", args=[in_review.pk, comment.pk])
    page = client_for("alice").get(f"/applications/{in_review.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert url in page.content.decode()
    r = client_for("alice").post(
        url,
        {"reply": "規程の写しを追加しました"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert r.status_code == 200 and 'id="item-1-1-1"' in r.content.decode()
    comment.refresh_from_db()
    assert comment.reply == "規程の写しを追加しました" and comment.replied_by == users["alice"]
    assert AuditEntry.objects.filter(action="ssmark.application.item_answered").exists()

    app_services.submit(actor=users["alice"], application=in_review)
    services.resume_review(actor=users["ren"], application=in_review)
    sheet = client_for("ren").get(reverse("reviews:worksheet", args=[in_review.pk]))
    html = sheet.content.decode()
    assert 'data-testid="applicant-reply"' in html and "規程の写しを追加しました" in html


def test_only_the_applicant_answers_and_only_while_returned(in_review, users, client_for):
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "x"}
    )
    comment = ReturnComment.objects.get(round__application=in_review)
    url = reverse("reviews:reply", args=[in_review.pk, comment.pk])
    assert client_for("charlie").post(url, {"reply": "y"}).status_code == 404
    assert client_for("ren").post(url, {"reply": "y"}).status_code == 403
    app_services.submit(actor=users["alice"], application=in_review)
    client_for("alice").post(url, {"reply": "遅い回答"})
    comment.refresh_from_db()
    assert comment.reply == ""
