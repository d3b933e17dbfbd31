"""Invoices carry the issuer's contact and bank-transfer details, a due date per fee kind from
the fee schedule, and keep the PDF issued (identical bytes on every download)."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from ssmark.fees.models import InvoiceDocument, IssuerDetails
from ssmark.fees.schedule import schedule_for
from ssmark.fees.services.billing import raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db

BANK = "みらい銀行 丸の内支店 普通 1234567 ｼﾔ)ﾆﾎﾝｲﾝﾀｰﾈﾂﾄ"
CONTACT = "料金担当　電話 03-1234-5678"


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "invoice.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_review_fee_is_due_thirty_days_after_issue_not_on_the_day(orgs, users, today):
    app = factories.application(orgs, users)
    invoice = raise_review_fee(application=app)
    assert invoice is not None
    rule = schedule_for(invoice.issued_on).fee("review").due
    assert (rule.months, rule.days) == (0, 30)
    assert invoice.due_on == invoice.issued_on + datetime.timedelta(days=30)


def test_invoice_prints_the_bodys_bank_transfer_and_contact(
    client_for, orgs, users, today, tmp_path
):
    IssuerDetails.objects.create(organisation=orgs["JAIPA"], contact=CONTACT, bank_transfer=BANK)
    app = factories.application(orgs, users)
    invoice = raise_review_fee(application=app)
    assert invoice is not None
    assert (invoice.payment_details, invoice.issuer_contact) == (BANK, CONTACT)
    response = client_for("alice").get(reverse("fees:invoice_pdf", args=[invoice.pk]))
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "お振込先",
        "みらい銀行 丸の内支店 普通 1234567",
        "03-1234-5678",
        "お支払期限",
    ):
        assert expected in text, expected


def test_the_issued_pdf_is_kept_and_downloads_identically(client_for, orgs, users, today):
    details = IssuerDetails.objects.create(organisation=orgs["JAIPA"], bank_transfer=BANK)
    app = factories.application(orgs, users)
    invoice = raise_review_fee(application=app)
    assert invoice is not None
    stored = InvoiceDocument.objects.get(invoice=invoice)
    assert stored.sha256 == hashlib.sha256(bytes(stored.pdf)).hexdigest()

    # The body changes its bank account afterwards: the issued invoice does not change.
    details.bank_transfer = "別の銀行 普通 7654321"
    details.save()
    url = reverse("fees:invoice_pdf", args=[invoice.pk])
    first = client_for("alice").get(url)
    second = client_for("rin").get(url)
    assert first.content == second.content == bytes(stored.pdf)
    assert first["ETag"] == f'"{stored.sha256}"'


def test_an_invoice_without_a_kept_pdf_gets_one_on_first_download(client_for, orgs, users, today):
    app = factories.application(orgs, users)
    invoice = raise_review_fee(application=app)
    assert invoice is not None
    InvoiceDocument.objects.filter(invoice=invoice).delete()  # as before documents were kept
    url = reverse("fees:invoice_pdf", args=[invoice.pk])
    first = client_for("alice").get(url).content
    assert InvoiceDocument.objects.filter(invoice=invoice).count() == 1
    assert client_for("alice").get(url).content == first
