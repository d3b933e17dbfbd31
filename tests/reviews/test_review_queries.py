"""The worksheet and the queue load without one query per item, per evidence or per finding."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ssmark.applications.models import Evidence, EvidenceKind, ItemAnswer
from ssmark.reviews import services


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_worksheet_queries_do_not_grow_with_items_evidence_or_findings(
    in_review, users, rh, client_for
):
    client = client_for("ren")
    url = reverse("reviews:worksheet", args=[in_review.pk])
    client.get(url)  # warm caches (criteria set, translations)
    before = count_queries(client, url)

    # Evidence on every answer, a finding on every item, and a return round with comments.
    answers = list(ItemAnswer.objects.filter(application=in_review))
    Evidence.objects.bulk_create(
        [
            Evidence(
                answer=a,
                kind=EvidenceKind.URL,
                url=f"https://e.example/{a.pk}",
                uploaded_by=users["alice"],
            )
            for a in answers
        ]
        + [
            Evidence(
                answer=a,
                kind=EvidenceKind.DECLARATION,
                signer="responsible_manager",
                signer_name="山田",
                statement="確認しました",
                uploaded_by=users["alice"],
            )
            for a in answers
        ]
    )
    rh.find_all_met(in_review, users["ren"])
    after = count_queries(client, url)
    assert after == before, f"{before} queries before, {after} after adding evidence/findings"
    assert after <= 30, after
    assert len(answers) >= 50


def test_queue_queries_do_not_grow_with_applications(submitted, users, client_for):
    client = client_for("rin")
    url = reverse("reviews:queue")
    first = submitted(service="One")
    services.assign_reviewer(actor=users["rin"], application=first, reviewer=users["ren"])
    client.get(url)
    before = count_queries(client, url)
    for n in range(3):
        app = submitted(service=f"More {n}")
        services.assign_reviewer(actor=users["rin"], application=app, reviewer=users["ren"])
    after = count_queries(client, url)
    assert after == before, (before, after)


def test_htmx_save_queries_do_not_grow_with_items(in_review, users, rh, client_for):
    client = client_for("ren")
    item = rh.item(in_review, "1-1-1")
    url = reverse("reviews:finding", args=[in_review.pk, item.pk])
    with CaptureQueriesContext(connection) as ctx:
        client.post(
            url,
            {f"item-{item.pk}-finding": "met", f"item-{item.pk}-version": 0},
            HTTP_HX_REQUEST="true",
        )
    assert len(ctx.captured_queries) <= 30, len(ctx.captured_queries)
