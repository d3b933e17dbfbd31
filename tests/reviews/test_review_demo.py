"""The first-review demo: three applications at JAIPA in review, returned and passed, by shinsa."""

from __future__ import annotations

import contextlib
import importlib
import io

import pytest

from ssmark.accounts import demo as accounts_demo
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.services import sync_sets
from ssmark.criteria import discover
from ssmark.reviews import demo
from ssmark.reviews.models import FirstReview, ReturnRound, ReviewFinding
from ssmark.reviews.verdict import official_verdict


def load_all() -> str:
    out = io.StringIO()
    accounts_demo.load(out=out)
    with contextlib.suppress(ModuleNotFoundError):
        importlib.import_module("ssmark.applications.demo").load(out=out)
    demo.load(out=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_makes_the_three_first_reviews_once() -> None:
    sync_sets(discover())
    load_all()
    reviews = FirstReview.objects.filter(reviewer__username="shinsa").select_related("application")
    by_status = {r.application.status: r.application for r in reviews}
    assert {
        ApplicationStatus.IN_FIRST_REVIEW,
        ApplicationStatus.RETURNED,
        ApplicationStatus.FIRST_REVIEW_PASSED,
    } <= set(by_status)
    assert ReviewFinding.objects.filter(
        application=by_status[ApplicationStatus.IN_FIRST_REVIEW], version__gt=0
    ).exists()
    round_ = ReturnRound.objects.get(application=by_status[ApplicationStatus.RETURNED])
    assert round_.comments.count() == 2 and round_.returned_by.username == "shinsa"
    passed = by_status[ApplicationStatus.FIRST_REVIEW_PASSED]
    assert official_verdict(passed).passed
    assert not FirstReview.objects.get(application=passed).override
    assert all(r.assigned_by.username == "uketsuke" for r in reviews)

    counts = (Application.objects.count(), FirstReview.objects.count(), ReturnRound.objects.count())
    second = load_all()
    assert "up to date" in second
    assert counts == (
        Application.objects.count(),
        FirstReview.objects.count(),
        ReturnRound.objects.count(),
    )
