"""Point 7: no page answers 500 to junk in the query string. Every address that takes no id is
requested with junk numbers, dates, choices and NUL characters, by each kind of user."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ssmark.core import query
from tests.applications.conftest import catalog, draft, new_application  # noqa: F401 - fixtures

JUNK = [
    "year=99999&page=abc&status=zzz&date=2026-13-45&q=%00&body=%00&what=zzz&open=%3Cx%3E",
    "year=0&page=-1&date=0000-00-00&q=%27%22%3C&fee=%00&status=%00",
    "year=-5&page=99999999999999999999999&date=99999-01-01&q=" + "x" * 5000,
    "year=1e5&page=%00&month=13&scheme=%00&kind=zzz&sort=%00&order=-",
]
SKIP_PREFIXES = ("admin/", "i18n/", "accounts/logout", "api/", "static/")


def _plain_paths(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    paths: list[str] = []
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(?P" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            paths += _plain_paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append("/" + prefix + route)
    return sorted({p for p in paths if not p[1:].startswith(SKIP_PREFIXES)})


def test_the_list_pages_are_found() -> None:
    paths = _plain_paths()
    for expected in ["/fees/", "/registry/", "/reviews/", "/applications/", "/registry.csv"]:
        assert expected in paths


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "alice", "rin", "ren", "kei", "sue", "ada"])
def test_no_500_on_junk_query_values(users, client_for, who, freeze_today) -> None:
    freeze_today(datetime.date(2026, 6, 1))
    client = client_for(who) if who else Client()
    client.raise_request_exception = False
    failures = []
    for path in _plain_paths():
        for junk in JUNK:
            response = client.get(f"{path}?{junk}")
            if response.status_code >= 500:
                failures.append(f"{path}?{junk[:40]} -> {response.status_code}")
    assert failures == []


def test_the_helper_ignores_what_it_cannot_use(rf) -> None:
    request = rf.get("/?year=99999&page=-3&d=2026-02-30&s=zzz&q=a%00b&n=12")
    assert query.year_param(request, "year", None) is None
    assert query.page_param(request) == 1
    assert query.date_param(request, "d", None) is None
    assert query.choice_param(request, "s", ["open", "closed"]) == ""
    assert query.text_param(request, "q") == "ab"
    assert query.int_param(request, "n", 0, minimum=1, maximum=20) == 12


@pytest.mark.django_db
def test_no_500_on_the_scan_findings_list(draft, client_for) -> None:  # noqa: F811
    client = client_for("alice")
    client.raise_request_exception = False
    for junk in [
        "page=99999999999999999999&hpage=-1&host=%00&severity=zz&status=%00&hsearch=%00",
        "page=%00&hpage=abc&host=" + "h" * 3000 + "&severity=%00",
    ]:
        assert client.get(f"/applications/{draft.pk}/scan/?{junk}").status_code == 200
