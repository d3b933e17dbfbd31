"""A returned application: the applicant sees the reviewer's comments on the items, corrects
them and resubmits; the new round's snapshot tells what changed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ssmark.applications import services
from ssmark.applications.models import ApplicationStatus, Submission
from ssmark.applications.states import transition
from ssmark.catalog.models import Item


def test_return_comments_on_the_page_and_resubmission(draft, users, client_for, submit_now):
    from ssmark.reviews.models import ReturnComment, ReturnRound

    submit_now(draft)
    with transaction.atomic():
        transition(
            draft, to_status=ApplicationStatus.IN_FIRST_REVIEW, actor=users["rin"], action="t"
        )
        transition(draft, to_status=ApplicationStatus.RETURNED, actor=users["ren"], action="t")
    rnd = ReturnRound.objects.create(
        application=draft,
        number=1,
        returned_by=users["ren"],
        returned_at=timezone.now(),
        comment="2項目の修正をお願いします。",
    )
    ReturnComment.objects.create(
        round=rnd,
        item=Item.objects.get(criteria_set=draft.criteria_set, code="7-6-3"),
        comment="総務省への報告手順が確認できません。",
    )
    body = client_for("alice").get(f"/applications/{draft.pk}/").content.decode()
    assert "2項目の修正をお願いします。" in body
    assert "総務省への報告手順が確認できません。" in body
    assert 'href="?open=7-6-3#item-7-6-3"' in body
    # editable again
    services.save_answer(
        actor=users["alice"],
        application=draft,
        item_code="7-6-3",
        claim="met",
        explanation="個人情報漏えい対応手順書 第5条に総務省への報告を定めました。",
    )
    services.submit(actor=users["alice"], application=draft)
    first, second = Submission.objects.filter(application=draft).order_by("number")
    assert services.changed_items(first.snapshot, second.snapshot) == ["7-6-3"]
    assert draft.status == ApplicationStatus.RESUBMITTED
