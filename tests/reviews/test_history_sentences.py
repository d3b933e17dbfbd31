"""The first review's history shows each audit entry as a sentence, never a raw action key."""

from __future__ import annotations

from django.urls import reverse

from ssmark.core.audit_actions import actor_name
from ssmark.reviews import services


def test_history_reads_as_sentences_in_japanese(in_review, users, client_for):
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "x"}
    )
    html = (
        client_for("rin")
        .get(reverse("reviews:history", args=[in_review.pk]), HTTP_ACCEPT_LANGUAGE="ja")
        .content.decode()
    )
    assert f"{actor_name(users['alice'])} が申請を提出しました" in html
    assert f"{actor_name(users['ren'])} が申請を補正のため差し戻しました" in html
    assert "ssmark.application." not in html
