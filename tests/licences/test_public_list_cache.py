"""The lists of today's licences (registry.csv/.json, status.json/.jwt) say "valid" of a
licence on its last day until midnight in Tokyo, and no longer: their cache lifetime (with the
stale window) ends at midnight on such a day, as the mark's and the verification page's do."""

from __future__ import annotations

import datetime

import pytest

from ssmark.core import clock

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2028, 1, 9)  # the `licence` fixture's valid_until
LISTS = ["/registry.csv", "/registry.json", "/licences/status.json", "/licences/status.jwt"]


@pytest.mark.parametrize("path", LISTS)
def test_list_lifetime_ends_at_midnight_on_a_listed_licences_last_day(
    licence, client, freeze_today, monkeypatch, path
):
    late = datetime.datetime(2028, 1, 9, 23, 59, 40, tzinfo=clock.TOKYO)
    monkeypatch.setattr(clock, "now", lambda: late)
    freeze_today(LAST_DAY)
    assert client.get(path)["Cache-Control"] == "public, max-age=20"  # 20 s to midnight
    if path.startswith("/registry"):
        etag = client.get(path)["ETag"]
        again = client.get(path, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["Cache-Control"] == "public, max-age=20"
    freeze_today(LAST_DAY - datetime.timedelta(days=1))  # not its last day: the usual lifetime
    assert "stale-while-revalidate" in client.get(path)["Cache-Control"]
