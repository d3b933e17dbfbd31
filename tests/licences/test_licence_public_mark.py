"""The live mark and the verification page: status-aware, cacheable (ETag, 304), embeddable,
one query, no session work, a revocation shows at once; unknown numbers get a 404 page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ssmark.licences.services import reinstate_licence, revoke_licence, suspend_licence

pytestmark = pytest.mark.django_db

VALID_SHIELD = "M26 0 L50 8"  # the valid mark's emblem


def test_valid_mark_shows_number_name_and_status(licence, client: Client):
    r = client.get("/licences/J0001/mark.svg")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/svg+xml"
    body = r.content.decode()
    assert body.startswith("<svg") and "J0001" in body
    assert "安全・安心マーク" in body and "有効" in body
    assert VALID_SHIELD in body and "無効" not in body
    assert r["Cache-Control"] == "public, max-age=60, stale-while-revalidate=30"
    assert r["Access-Control-Allow-Origin"] == "*"
    assert r["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert r["ETag"]
    # (The lean serving path, tests/licences/test_public_fastpath.py, also sends no Vary.)
    assert "Set-Cookie" not in r.headers


@pytest.mark.parametrize("change", ["revoke", "suspend", "lapse"])
def test_a_licence_that_is_not_valid_never_shows_the_valid_mark(licence, users, client, change):
    before = client.get("/licences/J0001/mark.svg")
    if change == "revoke":
        revoke_licence(
            licence=licence, actor=users["sue"], ground="recommendation_ignored", reason="勧告無視"
        )
    elif change == "suspend":
        suspend_licence(
            licence=licence, actor=users["ada"], ground="report_not_made", reason="報告なし"
        )
    else:
        from ssmark.licences.services import lapse_expired

        lapse_expired(today=licence.valid_until.replace(year=licence.valid_until.year + 1))
    # At once: the next request sees it, and the old ETag no longer matches.
    r = client.get("/licences/J0001/mark.svg", HTTP_IF_NONE_MATCH=before["ETag"])
    assert r.status_code == 200
    body = r.content.decode()
    assert "無効" in body and "NOT VALID" in body and "J0001" in body
    assert VALID_SHIELD not in body
    page = client.get("/licences/J0001/").content.decode()
    assert 'data-valid="false"' in page and "このマークは有効ではありません。" in page
    assert "J0001" not in client.get("/registry/").content.decode()


def test_reinstated_licence_shows_the_valid_mark_again(licence, users, client):
    suspend_licence(
        licence=licence, actor=users["sue"], ground="report_not_made", reason="報告なし"
    )
    reinstate_licence(licence=licence, actor=users["sue"], reason="報告を受領")
    assert VALID_SHIELD in client.get("/licences/J0001/mark.svg").content.decode()


def test_etag_gives_304(licence, client):
    first = client.get("/licences/J0001/mark.svg")
    again = client.get("/licences/J0001/mark.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == "public, max-age=60, stale-while-revalidate=30"
    page = client.get("/licences/J0001/")
    assert client.get("/licences/J0001/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304


def test_mark_and_verification_make_one_query_and_no_session(licence, client):
    client.get("/licences/J0001/mark.svg")  # loads the snapshot
    for url in ("/licences/J0001/mark.svg", "/licences/J0001/"):
        with CaptureQueriesContext(connection) as queries:
            r = client.get(url)
        assert r.status_code == 200
        # Only the change-token check (tests check on every request; production at most every
        # SSMARK_PUBLIC_CHECK_MS): the licence itself comes from the process's snapshot.
        assert len(queries) == 1, [q["sql"] for q in queries]
        assert "licences_publicversion" in queries[0]["sql"]
        assert not r.cookies


def test_verification_page_in_japanese_and_english(licence, client):
    r = client.get("/licences/J0001/")
    page = r.content.decode()
    for text in (
        "サンプル光",
        "サンプルネット株式会社",
        "J0001",
        "ISP版",
        "ISP version",
        "2026年1月10日",
        "2028年1月9日",
        "2028-01-09",
        "有効",
        "Active",
        "マーク使用許諾の確認",
        "Licence verification",
        'data-valid="true"',
        "/licences/J0001/credential",
        "/.well-known/jwks.json",
    ):
        assert text in page, text
    assert r["Access-Control-Allow-Origin"] == "*"


def test_unknown_number_is_a_404_page_never_a_mark(db, client):
    for url in ("/licences/J9999/", "/licences/J9999/credential"):
        r = client.get(url)
        assert r.status_code == 404
        assert r["Content-Type"].startswith("text/html")
        body = r.content.decode()
        assert "該当する許諾はありません" in body and "No such licence" in body
        assert "<svg" not in body


def test_unknown_numbers_mark_is_a_404_image_saying_no_such_licence(db, client):
    # An embedded <img> shows a clear picture instead of a broken one; never the valid design.
    r = client.get("/licences/J9999/mark.svg")
    assert r.status_code == 404
    assert r["Content-Type"] == "image/svg+xml"
    body = r.content.decode()
    assert body.startswith("<svg") and VALID_SHIELD not in body
    assert body.index("該当する許諾はありません") < body.index("No such licence")
    assert "J9999" in body
    assert r["Content-Security-Policy"].startswith("default-src 'none'")
    evil = client.get("/licences/<script>/mark.svg")
    assert evil.status_code == 404 and "<script>" not in evil.content.decode()


def test_lower_case_numbers_redirect(licence, client):
    r = client.get("/licences/j0001/mark.svg")
    assert r.status_code == 301 and r["Location"] == "/licences/J0001/mark.svg"


def test_public_endpoints_refuse_writes(licence, client):
    assert client.post("/licences/J0001/mark.svg").status_code in (403, 405)
    assert Client(enforce_csrf_checks=False).post("/licences/J0001/").status_code == 405


def test_verification_page_shows_the_mark_from_whatever_address_it_was_reached_by(
    licence, client, settings
):
    # SITE_URL is the public address for embed snippets; the page's own mark must not depend
    # on it (behind a proxy, or on another port, an absolute URL showed a broken image).
    settings.SITE_URL = "https://mark.example.invalid"
    html = client.get(f"/licences/{licence.number}/").content.decode()
    assert f'src="/licences/{licence.number}/mark.svg?v=' in html
