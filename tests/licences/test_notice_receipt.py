"""Issue 9, point 9: the pass notice's receipt date is the day the holder confirms receipt in
the app (「合格通知書を受け取った日から起算して1ヶ月以内」); the deemed date (notice date + the
scheme's deemed_received_days) applies only as a fallback; the first annual fee counts from it."""

from __future__ import annotations

import datetime
import subprocess

import pytest

from ssmark.fees import services as fees
from ssmark.fees.models import FeeKind, Invoice
from ssmark.licences import services
from ssmark.licences.models import LicenceTerm

APPROVED = datetime.date(2026, 4, 8)  # deemed received 7 days later: 2026-04-15


def annual(licence):
    return Invoice.objects.filter(application=licence.application, fee_kind=FeeKind.ANNUAL)


def _issue_new(issue, freeze_today):
    freeze_today(APPROVED)
    licence = issue(approved_on=APPROVED)
    term = LicenceTerm.objects.get(licence=licence)
    assert term.notice_received_on == datetime.date(2026, 4, 15)  # the deemed date, for now
    return licence, term


def test_confirmed_receipt_fixes_the_date_and_the_annual_fee_counts_from_it(
    issue, freeze_today, client_for, users
):
    licence, term = _issue_new(issue, freeze_today)
    # The fee is not invoiced from a deemed date while the holder may still confirm.
    fees.raise_due_annual_fees(today=APPROVED)
    assert not annual(licence).exists()
    client = client_for("alice")
    page = client.get(f"/licences/manage/{licence.number}/").content.decode()
    assert "合格通知書の受領を確認する" in page and "2026-04-15" in page
    freeze_today(datetime.date(2026, 4, 10))
    # Without the confirmation box ticked, nothing happens.
    client.post(f"/licences/manage/{licence.number}/receipt/")
    term.refresh_from_db()
    assert term.receipt_confirmed_on is None
    response = client.post(f"/licences/manage/{licence.number}/receipt/", {"confirm": "1"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.receipt_confirmed_on == term.notice_received_on == datetime.date(2026, 4, 10)
    invoice = annual(licence).get()
    assert invoice.due_on == datetime.date(2026, 5, 9)  # one month counted from that day
    page = client.get(f"/licences/manage/{licence.number}/").content.decode()
    assert "2026-04-10 に受領を確認しました" in page
    # The pass notice now states the confirmed day, not a deemed one.
    pdf = client.get(f"/licences/manage/{licence.number}/notice/{term.pk}.pdf").content
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "受領確認による" in text and "2026年4月10日" in text and "（みなし）" not in text
    # A second confirmation is refused; nothing changes.
    with pytest.raises(services.LicenceError):
        services.confirm_notice_receipt(actor=users["alice"], licence=licence)
    assert annual(licence).count() == 1


def test_without_confirmation_the_deemed_date_applies(issue, freeze_today, users):
    licence, _term = _issue_new(issue, freeze_today)
    fees.raise_due_annual_fees(today=datetime.date(2026, 4, 14))
    assert not annual(licence).exists()
    freeze_today(datetime.date(2026, 4, 15))
    fees.raise_due_annual_fees(today=datetime.date(2026, 4, 15))
    fees.raise_due_annual_fees(today=datetime.date(2026, 4, 15))  # safe to run twice
    invoice = annual(licence).get()
    assert invoice.due_on == datetime.date(2026, 5, 14)  # one month counted from 04-15
    # After the deemed date the holder can no longer move it.
    freeze_today(datetime.date(2026, 4, 16))
    with pytest.raises(services.LicenceError) as exc:
        services.confirm_notice_receipt(actor=users["alice"], licence=licence)
    assert "2026-04-15" in str(exc.value)


def test_only_the_holder_confirms(issue, freeze_today, users, client_for):
    licence, term = _issue_new(issue, freeze_today)
    with pytest.raises(services.LicenceError):
        services.confirm_notice_receipt(actor=users["rin"], licence=licence)
    assert (
        client_for("charlie")
        .post(f"/licences/manage/{licence.number}/receipt/", {"confirm": "1"})
        .status_code
        == 404
    )
    term.refresh_from_db()
    assert term.receipt_confirmed_on is None
