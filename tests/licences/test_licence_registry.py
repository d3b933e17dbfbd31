"""The public registry: valid licences in number order, search (width- and case-insensitive),
pagination from the in-process snapshot (one tiny query per request), CSV (UTF-8 with BOM) and JSON."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ssmark.licences.demo import load_synthetic
from ssmark.licences.services import revoke_licence, start_renewal, suspend_licence

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(issue, users):
    a = issue(service_name="ＯＣＮ光", org="sample-net")
    b = issue(service_name="ｹｰﾌﾞﾙねっと", org="other-isp", reception="TELESA")
    c = issue(service_name="取消ネット", reception="TCA")
    revoke_licence(licence=c, actor=users["sue"], ground="report_not_made", reason="未報告")
    return a, b, c


def _numbers(response) -> list[str]:
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-number="')[1:]]


def test_lists_valid_licences_in_number_order(three, client):
    r = client.get("/registry/")
    assert r.status_code == 200
    assert _numbers(r) == ["J0001", "T0002"]
    page = r.content.decode()
    assert "アザーISP株式会社" in page and "ISP" in page and "2026-01-10" in page


def test_renewal_pending_is_listed_suspended_is_not(three, users, client):
    start_renewal(licence=three[0], actor=users["alice"], today=datetime.date(2027, 6, 1))
    assert _numbers(client.get("/registry/")) == ["J0001", "T0002"]
    suspend_licence(licence=three[1], actor=users["sue"], ground="report_not_made", reason="x")
    assert _numbers(client.get("/registry/")) == ["J0001"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ocn", ["J0001"]),  # half-width lower case finds full-width upper case
        ("ＯＣＮ", ["J0001"]),
        ("ケーブル", ["T0002"]),  # full-width kana finds half-width kana
        ("アザー", ["T0002"]),  # company name
        ("ｻﾝﾌﾟﾙﾈｯﾄ", ["J0001"]),
        ("サンプル ＯＣＮ", ["J0001"]),  # every word must match
        ("取消", []),  # revoked: not listed
        ("存在しない", []),
    ],
)
def test_search_by_service_or_company(three, client, query, expected):
    assert _numbers(client.get("/registry/", {"q": query})) == expected


def test_pagination_with_a_constant_number_of_queries(db, orgs, client):
    load_synthetic(2000)  # 200 of them revoked
    with CaptureQueriesContext(connection) as first:
        r1 = client.get("/registry/")
    with CaptureQueriesContext(connection) as later:
        r2 = client.get("/registry/", {"page": 30})
    # The first request loads the snapshot; any later page is served from it: only the check
    # of the change token.
    assert len(later) == 1 and "licences_publicversion" in later[0]["sql"], [
        q["sql"] for q in later
    ]
    assert len(first) <= 4  # token, the table, its organisations, the demo-data marker
    assert len(_numbers(r1)) == 50 and _numbers(r1)[0].endswith("0001")
    assert "1800" in r1.content.decode()  # the count
    numbers = _numbers(r2)
    assert numbers == sorted(numbers, key=lambda n: int(n[1:]))
    assert len(_numbers(client.get("/registry/", {"page": 36}))) == 50
    assert _numbers(client.get("/registry/", {"page": 37})) == _numbers(
        client.get("/registry/", {"page": 36})
    )


def test_csv_is_utf8_with_bom_for_excel(three, client):
    r = client.get("/registry.csv")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["マーク使用許諾管理番号", "サービス名", "会社名"]
    assert [row[:4] for row in rows[1:]] == [
        ["J0001", "ＯＣＮ光", "サンプルネット株式会社", "ISP版"],
        ["T0002", "ｹｰﾌﾞﾙねっと", "アザーISP株式会社", "ISP版"],
    ]
    assert rows[1][6].endswith("/licences/J0001/")
    assert (
        len(
            list(
                csv.reader(
                    io.StringIO(
                        client.get("/registry.csv", {"q": "ocn"}).content.decode("utf-8-sig")
                    )
                )
            )
        )
        == 2
    )


def test_json(three, client):
    r = client.get("/registry.json")
    assert r["Content-Type"].startswith("application/json")
    data = json.loads(r.content)
    assert data["count"] == 2
    first = data["licences"][0]
    assert first["number"] == "J0001" and first["service_name"] == "ＯＣＮ光"
    assert first["company"] == "サンプルネット株式会社"
    assert first["licensed_since"] == "2026-01-10" and first["scheme"] == "isp"
    assert first["url"].endswith("/licences/J0001/") and first["mark"].endswith("/mark.svg")
    assert "ＯＣＮ光" in r.content.decode()  # not \\u-escaped


def test_a_renamed_organisation_is_found_by_its_new_name_at_once(three, users, client):
    from ssmark.licences.public import registry_queryset
    from ssmark.licences.services import visible_licences

    org = three[0].organisation
    org.name = "改名後ブロードバンド株式会社"
    org.save()
    # The public registry page, the database-backed registry (the API's) and "my licences".
    assert _numbers(client.get("/registry/", {"q": "改名後"})) == ["J0001"]
    assert [lic.number for lic in registry_queryset("改名後")] == ["J0001"]
    assert [
        lic.number for lic in visible_licences(users["sue"]).filter(search_key__contains="改名後")
    ] == ["J0001", "D0003"]  # staff see the revoked one too
    assert _numbers(client.get("/registry/", {"q": "サンプル"})) == []
    assert list(registry_queryset("サンプル")) == []
