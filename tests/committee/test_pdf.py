"""The agenda (議事次第) and minutes (議事録) PDFs: readable Japanese text, rendered as glyphs."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ssmark.accounts.models import User
from ssmark.applications.models import Application
from ssmark.committee import pdf, services
from ssmark.committee.models import Session, SessionStatus

pytestmark = pytest.mark.django_db


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def render_page_one(path: Path) -> Path:
    """Page 1 as PNG (pdftoppm -r 80); returns the image path."""
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(path.with_suffix("")),
        ],
        check=True,
        capture_output=True,
    )
    return path.with_suffix(".png")


def dark_share(png: Path) -> float:
    """Share of dark pixels on the rendered page (0 for a blank page)."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return sum(histogram[:128]) / (grey.width * grey.height)


@pytest.fixture
def session(
    make_session: Callable[..., Session],
    make_application: Callable[..., Application],
    users: dict[str, User],
) -> Session:
    session = make_session(datetime.date(2021, 11, 25), status=SessionStatus.HELD)
    first = make_application(service_name="さくら光インターネット")
    second = make_application(service_name="みなとWi-Fi", reception="TELESA", org="other-isp")
    for application in (first, second):
        services.place_on_agenda(application=application, actor=users["sue"], session=session)
    items = list(session.items.order_by("position"))
    services.record_decision(
        agenda_item=items[0],
        decision="rejected",
        reasons="障害対応マニュアルの整備が確認できない",
        actor=users["sue"],
        members_present=[users["kei"]],
    )
    services.record_decision(
        agenda_item=items[1],
        decision="deferred",
        reasons="脆弱性診断の再提出を待つ",
        actor=users["sue"],
        members_present=[users["kei"]],
    )
    return session


needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="poppler-utils (make sysdeps) is missing",
)


@needs_poppler
def test_agenda_pdf_has_japanese_text(
    session: Session, users: dict[str, User], tmp_path: Path
) -> None:
    kei = users["kei"]
    kei.last_name, kei.first_name = "佐藤", "恵"  # shown family name first
    kei.save()
    path = tmp_path / "agenda.pdf"
    path.write_bytes(pdf.agenda_pdf(session))
    text = pdftotext(path)
    for expected in (
        "審査委員会 議事次第",
        "2021年11月25日（木）",
        "会議室A",
        "出席委員",
        "佐藤 恵（委員長）",
        "さくら光インターネット",
        "みなとWi-Fi",
        "サンプルネット株式会社",
        "二次審査",
        "新規",
    ):
        assert expected in text, expected
    assert 0.005 < dark_share(render_page_one(path)) < 0.5


@needs_poppler
def test_minutes_pdf_has_decisions_reasons_and_members(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf.minutes_pdf(session))
    text = pdftotext(path)
    for expected in (
        "審査委員会 議事録",
        "2021年11月25日（木）",
        "会議室A",
        "出席委員",
        "不承認",
        "障害対応マニュアルの整備が確認できない",
        "継続審議（次回へ）",
        "脆弱性診断の再提出を待つ",
        "決定時の出席委員",
        "アザーISP株式会社",
        "承認0件、不承認1件、継続審議1件",
        "（案：審議中のため未確定）",
    ):
        assert expected in text, expected
    assert 0.005 < dark_share(render_page_one(path)) < 0.5


def test_pdfs_carry_the_japanese_fonts(session: Session) -> None:
    data = pdf.minutes_pdf(session)
    assert data.startswith(b"%PDF")
    assert b"+IPAexMincho" in data and b"+IPAexGothic" in data and b"/FontFile2" in data


@needs_poppler
def test_closed_minutes_are_final(session: Session, users: dict[str, User], tmp_path: Path) -> None:
    services.close_session(session=session, actor=users["sue"])
    session.refresh_from_db()
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf.minutes_pdf(session))
    text = pdftotext(path)
    assert "未確定" not in text and "閉会" in text
