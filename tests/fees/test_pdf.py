"""The invoice PDF is a readable Japanese qualified invoice (rendered by poppler to check)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from ssmark.fees import services
from ssmark.fees.models import Invoice
from ssmark.fees.pdf import render_invoice
from ssmark.fees.services import raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # Page 1 as an image (kept in test-artifacts/ to look at).
    ARTIFACTS.mkdir(exist_ok=True)
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
            str(ARTIFACTS / name),
        ],
        check=True,
    )
    assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
    return text


def test_invoice_pdf_shows_the_qualified_invoice_content(client_for, orgs, users, today, tmp_path):
    app = factories.application(orgs, users, service_name="サンプル光ネクスト")
    raise_review_fee(application=app, actor=None)  # as submit() does
    invoice = Invoice.objects.get(application=app)
    response = client_for("alice").get(reverse("fees:invoice_pdf", args=[invoice.pk]))
    text = pdf_text(response.content, tmp_path, "invoice-page1")
    for expected in [
        "適格請求書",
        "登録番号",
        "T1010405010486",
        "日本インターネットプロバイダー協会",
        "サンプルネット株式会社",
        "御中",
        "JAIPA-2026-000001",
        "取引年月日",
        "2026年4月10日",
        "審査料金",
        "10%対象",
        "¥80,000",
        "¥72,728",
        "¥7,272",
        "消費税",
    ]:
        assert expected in text, expected


def test_credit_note_pdf_refers_to_the_original(orgs, users, today, tmp_path):
    app = factories.application(orgs, users)
    raise_review_fee(application=app, actor=None)  # as submit() does
    invoice = Invoice.objects.get(application=app)
    credit, _new = services.issue_correction(invoice=invoice, reason="金額誤り", actor=users["sue"])
    text = pdf_text(render_invoice(credit), tmp_path, "credit-note-page1")
    assert "適格返還請求書" in text
    assert "JAIPA-2026-000001" in text and "JAIPA-2026-000002" in text
    assert "-¥80,000" in text and "-¥7,272" in text
    assert "金額誤り" in text
