"""ssmark.core.pdf: a document built with it carries its Japanese fonts and reads as Japanese."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from ssmark.core import pdf


def sample() -> bytes:
    pdf.register_fonts()
    body = ParagraphStyle("body", fontName=pdf.MINCHO, fontSize=10.5, leading=16)
    table = Table([["項目", "内容"], ["発行日", pdf.ja_date(datetime.date(2026, 11, 28))]])
    table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), pdf.GOTHIC, 9), *pdf.grid_style(shaded="row")])
    )
    return pdf.build_pdf(
        [Paragraph("審査委員会からのお知らせ", body), table],
        margins=(20 * mm, 18 * mm),
        title="お知らせ",
        author="推進協議会",
    )


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """Each font of page one: its name, and whether its TrueType file is inside the PDF."""
    reader = PdfReader(io.BytesIO(data))
    result = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        obj = font.get_object()
        descriptor = obj.get("/FontDescriptor")
        result[str(obj["/BaseFont"])] = bool(
            descriptor is not None and "/FontFile2" in descriptor.get_object()
        )
    return result


def test_the_document_embeds_both_japanese_fonts_and_carries_its_metadata() -> None:
    assert pdf.fonts_embedded(), "fonts-ipaexfont is missing: run scripts/sysdeps.sh"
    fonts = embedded_fonts(sample())
    assert any(name.endswith("+IPAexMincho") and inside for name, inside in fonts.items()), fonts
    assert any(name.endswith("+IPAexGothic") and inside for name, inside in fonts.items()), fonts
    reader = PdfReader(io.BytesIO(sample()))
    assert reader.metadata is not None
    assert reader.metadata.title == "お知らせ" and reader.metadata.author == "推進協議会"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is missing")
def test_pdftotext_reads_the_japanese_text(tmp_path: Path) -> None:
    path = tmp_path / "sample.pdf"
    path.write_bytes(sample())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in ("審査委員会からのお知らせ", "発行日", "2026年11月28日"):
        assert expected in text, expected


def test_japanese_dates() -> None:
    day = datetime.date(2026, 11, 28)
    assert pdf.ja_date(day) == "2026年11月28日"
    assert pdf.ja_date(day, weekday=True) == "2026年11月28日（土）"


def test_fonts_register_once_under_the_lock_from_several_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[tuple[str, bool]] = []  # (font, registered while holding the lock)
    monkeypatch.setattr(pdf, "_registered", False)
    monkeypatch.setattr(pdf.pdfmetrics, "getRegisteredFontNames", lambda: [])
    monkeypatch.setattr(
        pdf.pdfmetrics,
        "registerFont",
        lambda font: calls.append((font.fontName, pdf._lock.locked())),
    )
    barrier = threading.Barrier(8)

    def register() -> None:
        barrier.wait()
        pdf.register_fonts()

    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    pdf.register_fonts()
    assert sorted(calls) == [(pdf.GOTHIC, True), (pdf.MINCHO, True)]


def test_without_the_font_files_it_falls_back_to_named_cid_fonts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf, "DEBIAN_FONT_DIRS", ())
    monkeypatch.setattr(pdf, "_registered", False)
    registered: list[object] = []
    monkeypatch.setattr(pdf.pdfmetrics, "registerFont", registered.append)
    monkeypatch.setattr(pdf.pdfmetrics, "registerFontFamily", lambda *a, **k: None)
    assert not pdf.fonts_embedded()
    pdf.register_fonts()
    assert [type(font).__name__ for font in registered] == ["UnicodeCIDFont"] * 2
    assert [getattr(font, "fontName", None) for font in registered] == [pdf.GOTHIC, pdf.MINCHO]
    faces = [getattr(getattr(font, "face", None), "name", None) for font in registered]
    assert faces == ["HeiseiKakuGo-W5", "HeiseiMin-W3"]
