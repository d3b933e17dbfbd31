"""Read-side helpers of the first review, for this app's pages and for the applicant's page."""

from __future__ import annotations

from collections import defaultdict

from ssmark.applications.models import Application

from .models import ReturnComment, ReturnRound


def latest_return_round(application: Application) -> ReturnRound | None:
    return (
        ReturnRound.objects.filter(application=application)
        .select_related("returned_by")
        .order_by("-number")
        .first()
    )


def return_comments_for(application: Application) -> dict[str, list[ReturnComment]]:
    """The reviewer's comments of the latest return round, by item code (two queries at most).

    Each comment has `.comment`, `.item` and `.round` (with `.number`, `.returned_at`,
    `.returned_by`, `.comment`). Empty when the application was never returned.
    """
    latest = latest_return_round(application)
    if latest is None:
        return {}
    by_code: dict[str, list[ReturnComment]] = defaultdict(list)
    for comment in ReturnComment.objects.filter(round=latest).select_related("item"):
        comment.round = latest  # already loaded: no query per comment
        by_code[comment.item.code].append(comment)
    return dict(by_code)
