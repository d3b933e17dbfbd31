"""Signed-in licence pages: per-object authorisation (404 for those who may not see), the
holder's and staff's lists, the embed snippet, the pass notice PDF, status changes by form."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ssmark.licences.models import LicenceStatus

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "licences"

ALLOWED = ["alice", "bob", "rin", "ren", "kei", "sue", "ada"]  # J0001: Sample Net, via JAIPA
DENIED = ["charlie", "tomo", "taro"]


def _urls(licence) -> list[str]:
    term = licence.terms.get()
    n = licence.number
    return [
        f"/licences/manage/{n}/",
        f"/licences/manage/{n}/history/",
        f"/licences/manage/{n}/notice/{term.pk}.pdf",
    ]


@pytest.mark.parametrize("name", ALLOWED)
def test_who_may_see_a_licence(licence, client_for, name):
    for url in _urls(licence):
        assert client_for(name).get(url).status_code == 200, url


@pytest.mark.parametrize("name", DENIED)
def test_others_get_404(licence, client_for, name):
    for url in [*_urls(licence), f"/licences/manage/{licence.number}/incidents/new/"]:
        assert client_for(name).get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in_but_public_pages_are_public(licence, client):
    for url in _urls(licence):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    for url in (
        "/registry/",
        "/registry.csv",
        "/registry.json",
        "/licences/J0001/",
        "/licences/J0001/mark.svg",
        "/licences/J0001/credential",
        "/.well-known/jwks.json",
        "/licences/status.json",
    ):
        assert client.get(url).status_code == 200, url


def test_unknown_licence_number_on_signed_in_pages_is_404(licence, client_for):
    assert client_for("sue").get("/licences/manage/J0999/").status_code == 404
    assert client_for("alice").get("/licences/manage/J0001/notice/999.pdf").status_code == 404


def test_mine_lists_own_licences_staff_see_all(issue, client_for):
    issue(service_name="サンプル光")
    issue(service_name="アザー光", org="other-isp", reception="TELESA")
    alice = client_for("alice").get("/licences/mine/").content.decode()
    assert "サンプル光" in alice and "アザー光" not in alice
    charlie = client_for("charlie").get("/licences/mine/").content.decode()
    assert "アザー光" in charlie and "サンプル光" not in charlie
    rin = client_for("rin").get("/licences/mine/").content.decode()  # JAIPA: its own licences
    assert "サンプル光" in rin and "アザー光" not in rin
    sue = client_for("sue").get("/licences/mine/").content.decode()
    assert "サンプル光" in sue and "アザー光" in sue


def test_holder_sees_the_embed_snippet(licence, client_for, settings):
    settings.SITE_URL = "https://ssmark.example"
    page = client_for("alice").get("/licences/manage/J0001/").content.decode()
    assert (
        "&lt;a href=&quot;https://ssmark.example/licences/J0001/&quot;&gt;&lt;img "
        "src=&quot;https://ssmark.example/licences/J0001/mark.svg&quot;"
    ) in page


def test_pass_notice_pdf_has_the_japanese_text(licence, client_for, tmp_path):
    term = licence.terms.get()
    r = client_for("bob").get(f"/licences/manage/J0001/notice/{term.pk}.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "合格通知書",
        "サンプルネット株式会社",
        "サンプル光",
        "J0001",
        "ISP版",
        "2026年1月10日 から 2028年1月9日 まで",
        "本通知の受領日（みなし）",
        "2026年1月17日",
    ):
        assert expected in text, expected
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    png = tmp_path / "page-1.png"
    assert png.stat().st_size > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, ARTIFACTS / "pass-notice.png")


def test_secretariat_revokes_through_the_form(licence, client_for):
    c = client_for("sue")
    r = c.post(
        "/licences/manage/J0001/revoke/",
        {
            "ground": "recommendation_ignored",
            "reason": "勧告に正当な理由なく従わなかった",
            "confirm_number": "J0001",
        },
    )
    assert r.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    history = c.get("/licences/manage/J0001/history/").content.decode()
    assert "勧告に正当な理由なく従わなかった" in history


def test_holder_and_committee_cannot_change_status(licence, client_for):
    for name in ("alice", "kei"):
        r = client_for(name).post(
            "/licences/manage/J0001/suspend/", {"ground": "report_not_made", "reason": "x"}
        )
        assert r.status_code == 403
    assert client_for("charlie").post("/licences/manage/J0001/revoke/", {}).status_code == 404
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE


def test_missing_reason_is_refused_with_a_message(licence, client_for):
    r = client_for("sue").post(
        "/licences/manage/J0001/suspend/",
        {"ground": "report_not_made", "confirm_number": "J0001"},
        follow=True,
    )
    assert "理由を記入してください。" in r.content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE


def test_holder_starts_the_renewal_from_the_licence_page(issue, client_for):
    import datetime

    from django.utils import timezone

    from ssmark.licences.models import RenewalLink

    lic = issue(approved_on=timezone.localdate() - datetime.timedelta(days=600))  # window open
    page = client_for("alice").get(f"/licences/manage/{lic.number}/").content.decode()
    assert "更新申請を始める" in page
    assert client_for("rin").post(f"/licences/manage/{lic.number}/renew/").status_code == 403
    r = client_for("alice").post(f"/licences/manage/{lic.number}/renew/")
    link = RenewalLink.objects.get(licence=lic)
    assert r.status_code == 302 and r["Location"] == f"/applications/{link.application_id}/"
    lic.refresh_from_db()
    assert lic.status == LicenceStatus.RENEWAL_PENDING
    again = client_for("bob").post(f"/licences/manage/{lic.number}/renew/", follow=True)
    assert "この許諾の更新申請はすでに進行中です。" in again.content.decode()


def test_renewal_before_the_window_is_refused_with_the_date(issue, client_for):
    from django.utils import timezone

    from ssmark.licences.services import renewal_dates

    lic = issue(approved_on=timezone.localdate())
    opens, _deadline = renewal_dates(lic)
    r = client_for("alice").post(f"/licences/manage/{lic.number}/renew/", follow=True)
    assert f"この許諾の更新申請は{opens.isoformat()}から受け付けます。" in r.content.decode()
