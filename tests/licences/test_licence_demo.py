"""The demo registry: seed 002's 112 services as licences 0001–0112, idempotent."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count

from ssmark.accounts import demo as accounts_demo
from ssmark.licences import demo
from ssmark.licences.models import Licence

pytestmark = pytest.mark.django_db


def test_loads_the_seed_registry_once(client):
    accounts_demo.load(out=io.StringIO())
    demo.load(out=io.StringIO())
    demo.load(out=io.StringIO())
    assert Licence.objects.count() == 113  # the seed's 112 and the demo holder's one
    rows = list(
        Licence.objects.filter(serial__lte=112)
        .order_by("serial")
        .values_list("number", "service_name", "organisation__name")
    )
    assert rows[0] == ("T0001", "OCN", "エヌ・ティ・ティ・コミュニケーションズ株式会社")
    assert rows[1] == ("D0002", "＠nifty（アット・ニフティ）", "ニフティ株式会社")
    assert rows[25] == ("D0026", "WAKWAK", "株式会社エヌ・ティ・ティ エムイー")
    assert rows[34][1] == "ケイ･オプティコム インターネット接続サービス"
    assert rows[71] == (
        "J0072",
        "ケーブルインターネットサービス NCN＠NetHome",
        "日本海ケーブルネットワーク株式会社",
    )
    assert rows[111] == ("T0112", "エヌ・シィ・ティ", "株式会社エヌ・シィ・ティ")
    assert [int(n[1:]) for n, _s, _c in rows] == list(range(1, 113))
    # A company with two services is one organisation.
    two = Licence.objects.values("organisation").annotate(n=Count("id")).filter(n=2).count()
    assert two == 2  # TOKAIコミュニケーションズ (12, 21), テレビ岸和田 (75, 76)
    assert all(lic.is_valid for lic in Licence.objects.all())
    holder = Licence.objects.get(organisation__code="sample-net")
    assert (holder.number, holder.service_name) == ("J0113", "サンプルネット光 ホーム")
    assert "GMOとくとくBB" in client.get("/registry/", {"q": "gmo"}).content.decode()


def test_transcription_is_complete_and_ordered():
    assert [n for n, _s, _c in demo.SEED_002_SERVICES] == list(range(1, 113))
    assert all(s and c for _n, s, c in demo.SEED_002_SERVICES)
    assert demo.letter_for(72) == "J"


def test_next_licence_after_the_demo_is_0114(issue):
    accounts_demo.load(out=io.StringIO())
    demo.load(out=io.StringIO())
    assert issue(reception="TCA").number == "D0114"
