"""The API's lists cost the same number of queries for 2 rows as for 8 (no query per row)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ssmark.api import ratelimit
from ssmark.api.models import ApiToken, RateWindow
from ssmark.core import clock


def count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    # the token's last use is written at most once a minute, and its rate window opens (and
    # sweeps old windows) once a minute: keep those writes out of the count
    client.get("/api/v1/me/")
    ApiToken.objects.update(last_used_at=clock.now())
    RateWindow.objects.update(started_ms=ratelimit._now_ms())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def test_lists_do_not_query_per_row(api_for, new_application, submit_now, request):
    alice, rin, sue = api_for("alice"), api_for("rin"), api_for("sue")
    for i in range(2):
        submit_now(new_application(service_name=f"光{i}"))
    urls = {
        alice: ["/api/v1/applications/", "/api/v1/invoices/", "/api/v1/notifications/"],
        rin: ["/api/v1/reviews/queue/", "/api/v1/invoices/"],
        sue: ["/api/v1/licences/"],
    }
    issue = request.getfixturevalue("issue")
    for i in range(2):
        issue(service_name=f"許諾{i}")
    before = {(id(c), u): count(c, u) for c, us in urls.items() for u in us}
    for i in range(6):
        submit_now(new_application(service_name=f"光{i + 2}"))
        issue(service_name=f"許諾{i + 2}")
    after = {(id(c), u): count(c, u) for c, us in urls.items() for u in us}
    assert after == before
