"""Validity fails closed: every public surface decides it from the status AND the dates at
request time (valid_until in Asia/Tokyo), whether or not the daily lapse job has run; the
cache validators change with it; suspensions and revocations show the day they took effect."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.test import Client

from ssmark.core import clock
from ssmark.licences import public, signing
from ssmark.licences.models import Licence
from ssmark.licences.services import revoke_licence, suspend_licence

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2028, 1, 9)  # the `licence` fixture's valid_until
DAY_AFTER = LAST_DAY + datetime.timedelta(days=1)
VALID_SHIELD = "M26 0 L50 8"


def surfaces(client: Client) -> dict[str, object]:
    """What each public surface says about J0001."""
    mark = client.get("/licences/J0001/mark.svg")
    page = client.get("/licences/J0001/")
    registry = client.get("/registry/").content.decode()
    rows = list(csv.reader(io.StringIO(client.get("/registry.csv").content.decode("utf-8-sig"))))
    listed_json = [
        x["number"] for x in json.loads(client.get("/registry.json").content)["licences"]
    ]
    claims = signing.verify(
        client.get("/licences/J0001/credential").content.decode(), signing.jwks()
    )
    status = json.loads(client.get("/licences/status.json").content)["licences"][0]
    signed = signing.verify(client.get("/licences/status.jwt").content.decode(), signing.jwks())[
        "licences"
    ][0]
    return {
        "mark_valid": VALID_SHIELD in mark.content.decode(),
        "mark_etag": mark["ETag"],
        "page_valid": 'data-valid="true"' in page.content.decode(),
        "page_etag": page["ETag"],
        "registry": 'data-number="J0001"' in registry,
        "csv": any(row[0] == "J0001" for row in rows[1:]),
        "json": "J0001" in listed_json,
        "credential": claims["licence"]["valid"],
        "credential_status": claims["licence"]["status"],
        "status_json": status["valid"],
        "status_jwt": signed["valid"],
    }


def test_last_valid_day_everything_valid_the_day_after_nothing_without_the_job(
    licence, client, freeze_today
):
    freeze_today(LAST_DAY)
    on_last_day = surfaces(client)
    assert all(
        on_last_day[key]
        for key in ("mark_valid", "page_valid", "registry", "csv", "json", "credential")
    )
    assert on_last_day["status_json"] and on_last_day["status_jwt"]
    assert licence.is_valid

    freeze_today(DAY_AFTER)  # `lapse-licences` has NOT run: the row still says active
    assert Licence.objects.get(pk=licence.pk).status == "active"
    after = surfaces(client)
    for key in ("mark_valid", "page_valid", "registry", "csv", "json", "credential"):
        assert after[key] is False, key
    assert after["status_json"] is False and after["status_jwt"] is False
    assert after["credential_status"] == "lapsed"
    # The validators change with the day's validity, so no cache answers 304 with the old one.
    assert after["mark_etag"] != on_last_day["mark_etag"]
    assert after["page_etag"] != on_last_day["page_etag"]
    assert (
        client.get(
            "/licences/J0001/mark.svg", HTTP_IF_NONE_MATCH=on_last_day["mark_etag"]
        ).status_code
        == 200
    )
    assert not Licence.objects.get(pk=licence.pk).is_valid


def test_the_lapsed_mark_and_page_show_the_day_validity_ended(licence, client, freeze_today):
    freeze_today(DAY_AFTER)
    body = client.get("/licences/J0001/mark.svg").content.decode()
    assert "無効" in body and "失効" in body and "2028年1月10日から" in body
    assert "Lapsed since 2028-01-10" in body
    page = client.get("/licences/J0001/").content.decode()
    assert 'data-effective="2028-01-10"' in page and "効力発生日" in page
    assert 'data-status="lapsed"' in page


def test_the_credential_of_a_valid_licence_never_outlives_its_validity(licence, freeze_today):
    freeze_today(LAST_DAY)
    from ssmark.licences import snapshot

    lic = snapshot.current().get("J0001")
    # 23:00 in Tokyo on the last day: an hour of validity is left.
    now = int(datetime.datetime(2028, 1, 9, 23, 0, tzinfo=clock.TOKYO).timestamp())
    payload = public.credential_payload(lic, now=now)
    assert payload["licence"]["valid"] is True
    assert payload["exp"] == now + 3600


def test_cache_lifetime_ends_at_midnight_on_the_last_valid_day(
    licence, client, freeze_today, monkeypatch
):
    freeze_today(LAST_DAY)
    late = datetime.datetime(2028, 1, 9, 23, 59, 40, tzinfo=clock.TOKYO)
    monkeypatch.setattr(clock, "now", lambda: late)
    r = client.get("/licences/J0001/mark.svg")
    assert r["Cache-Control"] == "public, max-age=20"  # 20 s to midnight, no stale window
    freeze_today(LAST_DAY - datetime.timedelta(days=1))
    assert "stale-while-revalidate" in client.get("/licences/J0001/mark.svg")["Cache-Control"]


@pytest.mark.parametrize(
    ("change", "status_ja", "status_en"),
    [("revoke", "許諾取消", "Revoked"), ("suspend", "使用停止中", "Suspended")],
)
def test_revoked_or_suspended_shows_the_date_it_took_effect(
    licence, users, client, change, status_ja, status_en
):
    action = revoke_licence if change == "revoke" else suspend_licence
    with clock.frozen(datetime.date(2026, 6, 1)):
        action(licence=licence, actor=users["sue"], ground="report_not_made", reason="未報告")
    day = clock.tokyo_date(licence.status_changes.get().created)
    body = client.get("/licences/J0001/mark.svg").content.decode()
    assert status_ja in body and f"{day.year}年{day.month}月{day.day}日から" in body
    assert f"{status_en} since {day.isoformat()}" in body
    page = client.get("/licences/J0001/").content.decode()
    assert f'data-effective="{day.isoformat()}"' in page
    assert f"{status_en} since {day.isoformat()}" in page
    claims = signing.verify(
        client.get("/licences/J0001/credential").content.decode(), signing.jwks()
    )
    assert claims["licence"]["status_since"] == day.isoformat()


def test_a_valid_licence_shows_no_effective_date(licence, client):
    page = client.get("/licences/J0001/").content.decode()
    assert "data-effective" not in page
    assert "から" not in client.get("/licences/J0001/mark.svg").content.decode()


def test_a_renewal_approved_in_time_keeps_the_licence_valid_past_the_old_end(
    licence, client, freeze_today
):
    # A renewal moves valid_until forward: the public surfaces follow the stored dates.
    Licence.objects.filter(pk=licence.pk).update(valid_until=datetime.date(2030, 1, 9))
    freeze_today(DAY_AFTER)
    assert VALID_SHIELD in client.get("/licences/J0001/mark.svg").content.decode()


@pytest.mark.parametrize("path", ["/registry.json", "/registry.csv"])
def test_registry_downloads_have_validators_that_change_with_the_day(
    licence, client, freeze_today, path
):
    freeze_today(LAST_DAY)
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"]
    assert "stale-while-revalidate" in first["Cache-Control"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    freeze_today(DAY_AFTER)  # J0001 leaves the lists: the old validator no longer matches
    after = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and "J0001" not in after.content.decode("utf-8-sig")
