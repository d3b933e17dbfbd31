"""Issue 9, points 1, 2 and 4: the seed's words on the pages (Japanese first)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command

from ssmark.applications import services as app_services
from ssmark.criteria import EVIDENCE_TEXT, EvidenceKind, get_set


def test_7_3_evidence_in_the_seeds_words(client_for, db):
    call_command("load_catalog", verbosity=0)
    seed = get_set("isp-2010")
    assert seed.item("7-3").evidence == (EvidenceKind.PIM_SIGNED_BY,)
    assert seed.item("7-2-1").evidence == (EvidenceKind.PIM_SIGNED,)
    assert EVIDENCE_TEXT[EvidenceKind.PIM_SIGNED_BY].ja == "個人情報保護管理者による署名押印"
    assert "in person" not in EVIDENCE_TEXT[EvidenceKind.PIM_SIGNED_BY].en
    html = client_for("kei").get("/catalog/isp-2010/").content.decode()
    assert "個人情報保護管理者による署名押印" in html and "個人情報保護管理者本人の署名押印" in html


def test_english_renderings_of_issue_9_4():
    seed = get_set("isp-2010")
    assert "security control measures" in seed.categories[6].groups[1].title.en
    assert (
        "shokutaku" in seed.item("7-3").text.en and "staffing agencies" in seed.item("7-3").text.en
    )
    assert seed.categories[4].title.en == "Putting a user support structure in place"
    assert seed.categories[6].title.en == "Measures for personal information protection"
    assert "strive" in seed.audit.groups[1].entries[0].text.en  # A2-1 努める


def test_written_opinion_is_called_ishosho_on_the_application(client_for, users, orgs, db):
    call_command("load_catalog", verbosity=0)
    app = app_services.create_application(
        actor=users["alice"],
        reception_body=orgs["JAIPA"],
        service_name="サンプル光",
        responsible_manager="山田 太郎",
        responsible_manager_email="yamada@sample-net.example",
        pim_manager="佐藤 花子",
        pim_manager_email="sato@sample-net.example",
    )
    client = client_for("alice")
    html = client.get(f"/applications/{app.pk}/").content.decode()
    assert "診断結果・ホストの役割・意見書" in html
    assert "説明書" not in html and "見解書" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/applications/{app.pk}/").content.decode()
    assert "written opinions" in english
