"""Issue 9, point 11: /registry.csv and /registry.json say the demo registry's licence numbers
and dates are invented, without changing the data rows: an `X-Demo-Data` header on both, and
`demo` / `notice` at the top level of the JSON. Without the demo: no header, `demo: false`."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ssmark.accounts import demo as accounts_demo
from ssmark.licences import demo, snapshot

pytestmark = pytest.mark.django_db

JA = "マーク使用許諾管理番号と日付は架空のものです"
EN = "licence numbers and dates shown here are invented"


def _load_demo() -> None:
    accounts_demo.load(out=io.StringIO())
    demo.load(out=io.StringIO())
    snapshot.reset()  # a process checks the change token at most once a second


def test_no_demo_header_or_flag_without_the_demo(client, orgs):
    snapshot.reset()
    csv_response = client.get("/registry.csv")
    json_response = client.get("/registry.json")
    assert "X-Demo-Data" not in csv_response and "X-Demo-Data" not in json_response
    data = json.loads(json_response.content)
    assert data["demo"] is False and data["notice"] is None


def test_csv_carries_the_notice_as_a_header_not_as_a_row(client):
    _load_demo()
    response = client.get("/registry.csv")
    assert response.status_code == 200
    assert EN in response["X-Demo-Data"]
    assert "X-Demo-Data" in response["Access-Control-Expose-Headers"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "マーク使用許諾管理番号"  # the header row stays the first row
    assert all(len(row) == len(rows[0]) for row in rows)  # no extra column
    assert [row[0][1:] for row in rows[1:3]] == ["0001", "0002"]  # data rows only
    # A revalidation answers 304 with the same ETag and still says it is demo data.
    again = client.get("/registry.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["ETag"] == response["ETag"]
    assert EN in again["X-Demo-Data"]


def test_json_has_demo_and_notice_at_the_top_level(client):
    _load_demo()
    response = client.get("/registry.json")
    assert EN in response["X-Demo-Data"]
    data = json.loads(response.content)
    assert data["demo"] is True
    assert JA in data["notice"]["ja"] and EN in data["notice"]["en"]
    assert list(data)[:2] == ["demo", "notice"]
    assert data["count"] == len(data["licences"]) and "notice" not in data["licences"][0]
    again = client.get("/registry.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and EN in again["X-Demo-Data"]
