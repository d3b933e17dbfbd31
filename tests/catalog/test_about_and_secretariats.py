"""Issue 9, point 3: seed 002's two secretariats (推進協議会事務局 at JAIPA, 審査委員会事務局 at
TELESA) and the standing committee chair (審査委員長), modelled as the seed has them; the
council's make-up shown on the public "about the scheme" page from data."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from ssmark.accounts import demo as accounts_demo
from ssmark.accounts.models import Organisation, Role, SecretariatOf, User, UserRole
from ssmark.catalog.bodies import bodies
from ssmark.committee import services as committee

pytestmark = pytest.mark.django_db


def test_about_page_is_public_and_shows_the_council_and_committee_from_data(client):
    html = client.get("/catalog/about/").content.decode()
    for text in (
        "インターネット接続サービス安全・安心マーク推進協議会",
        "一般社団法人テレコムサービス協会",
        "一般社団法人日本インターネットプロバイダー協会",
        "一般社団法人電気通信事業者協会",
        "一般社団法人日本ケーブルテレビ連盟",
        "会長",
        "渡辺武経",
        "副会長",
        "是枝伸彦",
        "総務省 総合通信基盤局 電気通信事業部 データ通信課",
        "総務省 情報流通行政局 情報セキュリティ対策室",
        "オブザーバ",
        "一般社団法人日本インターネットプロバイダー協会事務局内",
        "審査委員長",
        "森 亮二（英知法律事務所 弁護士）",
        "一般社団法人テレコムサービス協会事務局内",
    ):
        assert text in html, text
    data = bodies()
    assert [m["code"] for m in data["council"]["members"]] == ["TELESA", "JAIPA", "TCA", "JCTA"]
    assert len(data["council"]["observers"]) == 4 and len(data["committee"]["members"]) == 7
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/catalog/about/").content.decode()
    assert "Promotion Council" in english and "Vice-chair" in english
    assert "Within the secretariat of the Telecom Services Association" in english


def test_fixtures_have_both_secretariats(orgs):
    committee_sec, council_sec = orgs["SECRETARIAT"], orgs["COUNCIL"]
    assert committee_sec.is_committee_secretariat and committee_sec.hosted_by == orgs["TELESA"]
    assert council_sec.secretariat_of == SecretariatOf.COUNCIL
    assert council_sec.hosted_by == orgs["JAIPA"] and not council_sec.is_committee_secretariat


def test_committee_sessions_are_run_by_the_committee_secretariat(users, orgs):
    assert committee.can_schedule(users["sue"])  # 審査委員会事務局
    council_staff = User.objects.create_user(username="kyogikai", organisation=orgs["COUNCIL"])
    UserRole.objects.create(user=council_staff, role=Role.SECRETARIAT)
    assert not committee.can_schedule(council_staff)  # 推進協議会事務局 does not


def test_demo_has_two_secretariats_and_the_standing_chair():
    accounts_demo.load(out=io.StringIO())
    accounts_demo.load(out=io.StringIO())  # idempotent
    committee_sec = Organisation.objects.get(code="SECRETARIAT")
    council_sec = Organisation.objects.get(code="COUNCIL")
    assert "審査委員会" in committee_sec.name and committee_sec.hosted_by.code == "TELESA"
    assert "推進協議会" in council_sec.name and council_sec.hosted_by.code == "JAIPA"
    assert User.objects.get(username="iin").has_role(Role.COMMITTEE_CHAIR)
    assert str(Role.COMMITTEE_CHAIR.label) == "Committee chair"


def test_sessions_are_chaired_by_the_standing_chair_unless_another_is_named(users):
    import datetime

    from ssmark.core import clock

    UserRole.objects.create(user=users["kei"], role=Role.COMMITTEE_CHAIR)
    day = clock.today() + datetime.timedelta(days=40)
    session = committee.schedule_session(actor=users["sue"], date=day, place="TELESA 会議室")
    assert session.chair == users["kei"]
    assert committee.standing_chair() == users["kei"]
