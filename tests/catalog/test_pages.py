"""The catalog pages: signed-in users only, in Japanese and English; the admin lists the sets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ssmark.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def _compiled_catalogs() -> Iterator[None]:
    # The .mo files are build output (`ssmark i18n_compile`, run by `make test`); compile them
    # here too so the test also works when run alone, and drop translations cached before.
    out = StringIO()
    call_command("i18n_compile", stdout=out)
    if out.getvalue():
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
    yield


@pytest.fixture
def loaded() -> None:
    call_command("load_catalog", stdout=StringIO())


def in_language(client: Client, lang: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def test_catalog_index_url_name() -> None:
    assert reverse("catalog:index") == "/catalog/"
    assert reverse("catalog:detail", args=["isp-2010"]) == "/catalog/isp-2010/"


@pytest.mark.parametrize("url", ["/catalog/", "/catalog/isp-2010/"])
def test_anonymous_users_are_sent_to_sign_in(client: Client, loaded: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_index_lists_the_sets_in_japanese(
    client_for: Callable[[str], Client], loaded: None
) -> None:
    response = client_for("alice").get("/catalog/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "インターネット接続サービス安全・安心マーク審査基準（ISP版）" in html
    assert "必須25項目すべて、推奨122点中91点以上" in html
    assert "必須26項目すべて、推奨117点中91点以上" in html
    assert "現在適用中" in html
    assert 'href="/catalog/isp-2010/"' in html


def test_index_in_english(client_for: Callable[[str], Client], loaded: None) -> None:
    html = in_language(client_for("charlie"), "en").get("/catalog/").content.decode()
    assert "Internet Connection Service Safe/Secure Mark review criteria (ISP version)" in html
    assert "New review: all 25 mandatory items and at least 91 of 122 points" in html
    assert "Renewal review: all 26 mandatory items and at least 91 of 117 points" in html


def test_detail_page_in_japanese(client_for: Callable[[str], Client], loaded: None) -> None:
    response = client_for("ren").get("/catalog/isp-2010/")
    html = response.content.decode()
    assert response.status_code == 200
    # totals per review type
    assert '<th scope="row">新規審査</th><td>25</td><td>122</td><td>91</td>' in html
    assert '<th scope="row">更新審査</th><td>26</td><td>117</td><td>91</td>' in html
    # every category and item, with its kind per review type
    for code in "1234567":
        assert f'id="category-{code}"' in html
    assert "個人情報保護に関する取組み" in html
    assert 'id="item-7-3"' in html
    row = html[html.index('id="item-1-1-2"') :]
    row = row[: row.index("</tr>")]
    assert "<td>5点</td><td>必須</td>" in row
    graded = html[html.index('id="item-7-1-1"') :]
    assert "0–5点（評点） （0点は不合格）" in graded[: graded.index("</tr>")]
    # evidence kinds explained, audit items, diagnosis focus areas
    assert "担当責任者による署名押印" in html
    assert "監査項目（審査項目 1-1-2）" in html
    assert "パスワード管理が適切にされていたか" in html
    assert "セキュリティ診断項目（審査項目 2-1-1）" in html
    assert "DNSシステムソフトについて" in html
    assert "申請書提出日前3か月以内" in html


def test_detail_page_in_english(client_for: Callable[[str], Client], loaded: None) -> None:
    html = in_language(client_for("kei"), "en").get("/catalog/isp-2010/").content.decode()
    assert '<th scope="row">New review</th><td>25</td><td>122</td><td>91</td>' in html
    assert '<th scope="row">Renewal review</th><td>26</td><td>117</td><td>91</td>' in html
    assert "Measures for personal information protection" in html
    row = html[html.index('id="item-1-1-2"') :]
    assert "<td>5 points</td><td>Mandatory</td>" in row[: row.index("</tr>")]
    assert "Graded 0–5 (0 fails)" in html
    assert "Signed and sealed by the responsible manager" in html
    assert "Audit items (item 1-1-2)" in html
    assert "Were passwords managed properly?" in html
    assert "Vulnerability diagnosis (item 2-1-1)" in html
    assert "within 3 months before the application date" in html
    assert "施設への立ち入り" not in html  # content is in English too


def test_unknown_set_is_404(client_for: Callable[[str], Client], loaded: None) -> None:
    assert client_for("alice").get("/catalog/nope/").status_code == 404


def test_empty_catalog_says_how_to_load_it(client_for: Callable[[str], Client]) -> None:
    html = client_for("alice").get("/catalog/").content.decode()
    assert "ssmark load_catalog" in html


def test_admin_lists_sets_categories_and_items_read_only(
    users: dict[str, User], loaded: None
) -> None:
    admin = users["ada"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    with translation.override("en"):
        for model in ("criteriaset", "category", "item"):
            response = client.get(f"/admin/catalog/{model}/")
            assert response.status_code == 200, model
        assert "isp-2010" in client.get("/admin/catalog/criteriaset/").content.decode()
        assert client.get("/admin/catalog/criteriaset/add/").status_code == 403
