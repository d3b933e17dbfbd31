"""Fees pages: who may see what (per URL, with the named fixture users), payment recording,
the dashboard per body, and the CSV export."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from ssmark.fees import services
from ssmark.fees.models import Invoice, Payment
from ssmark.fees.services import raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db

SEES = {"alice", "bob", "rin", "sue", "ada"}
MANAGES = {"rin", "sue", "ada"}
EVERYONE = ["alice", "bob", "charlie", "rin", "tomo", "ren", "taro", "kei", "sue", "ada"]


@pytest.fixture
def invoice(orgs, users, today) -> Invoice:
    app = factories.application(orgs, users, service_name="サンプル光ネクスト")
    raise_review_fee(application=app, actor=None)  # as submit() does
    return Invoice.objects.get(application=app)


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("route", ["fees:invoice", "fees:invoice_pdf"])
def test_invoice_and_pdf_only_for_those_concerned(client_for, invoice, name, route):
    response = client_for(name).get(reverse(route, args=[invoice.pk]))
    assert response.status_code == (200 if name in SEES else 404)
    if route == "fees:invoice_pdf" and name in SEES:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize("route", ["fees:record_payment", "fees:correct"])
def test_payment_and_correction_pages_for_the_issuer_and_secretariat(
    client_for, invoice, name, route
):
    response = client_for(name).get(reverse(route, args=[invoice.pk]))
    expected = 200 if name in MANAGES else 403 if name in SEES else 404
    assert response.status_code == expected


def test_unknown_invoice_is_404(client_for, invoice):
    assert client_for("sue").get(reverse("fees:invoice", args=[invoice.pk + 99])).status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [("rin", 200), ("tomo", 200), ("sue", 200), ("ada", 200), ("ren", 403), ("kei", 403)],
)
def test_dashboard_for_fees_staff(client_for, invoice, name, expected):
    assert client_for(name).get(reverse("fees:dashboard")).status_code == expected


def test_applicants_are_sent_to_their_invoices(client_for, invoice):
    response = client_for("alice").get(reverse("fees:dashboard"))
    assert response.status_code == 302 and response["Location"] == reverse("fees:invoices")
    page = client_for("alice").get(reverse("fees:invoices")).content.decode()
    assert invoice.number in page
    assert (
        invoice.number not in client_for("charlie").get(reverse("fees:invoices")).content.decode()
    )


def test_reception_staff_see_only_their_body(client_for, invoice, orgs, users):
    other = factories.application(orgs, users, reception="TELESA")
    raise_review_fee(application=other, actor=None)  # as submit() does
    rin = client_for("rin").get(reverse("fees:dashboard")).content.decode()
    tomo = client_for("tomo").get(reverse("fees:dashboard")).content.decode()
    assert "JAIPA-2026-000001" in rin and "TELESA-2026-000001" not in rin
    assert "TELESA-2026-000001" in tomo and "JAIPA-2026-000001" not in tomo
    # The secretariat sees both unpaid review fees.
    sue = client_for("sue").get(reverse("fees:dashboard")).content.decode()
    assert "JAIPA-2026-000001" in sue and "TELESA-2026-000001" in sue


def test_recording_a_partial_payment(client_for, invoice):
    url = reverse("fees:record_payment", args=[invoice.pk])
    response = client_for("rin").post(
        url,
        {
            "received_on": "2026-04-10",
            "amount": "30000",
            "method": "bank_transfer",
            "reference": "X",
        },
    )
    assert response.status_code == 302
    assert Payment.objects.get().amount == 30000
    page = client_for("rin").get(reverse("fees:invoice", args=[invoice.pk])).content.decode()
    assert "一部入金" in page  # partly paid
    assert "50,000" in page  # outstanding


def test_overpayment_shows_the_error_and_records_nothing(client_for, invoice):
    response = client_for("sue").post(
        reverse("fees:record_payment", args=[invoice.pk]),
        {"received_on": "2026-04-10", "amount": "90000", "method": "cash"},
    )
    assert response.status_code == 200
    assert "90,000" in response.content.decode()
    assert not Payment.objects.exists()


def test_correction_page_issues_a_credit_note_and_new_invoice(client_for, invoice):
    response = client_for("rin").post(
        reverse("fees:correct", args=[invoice.pk]), {"reason": "金額誤り", "new_amount": "60000"}
    )
    assert response.status_code == 302
    assert Invoice.objects.count() == 3
    assert services.invoice_status(invoice) == "cancelled"


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_export_of_invoices(client_for, invoice, users):
    services.record_payment(
        invoice=invoice,
        received_on=datetime.date(2026, 4, 10),
        amount=30000,
        method="bank_transfer",
        actor=users["rin"],
    )
    response = client_for("sue").get(reverse("fees:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][0] == "請求書番号"
    assert rows[1][:3] == ["JAIPA-2026-000001", "請求書", "審査料金"]
    assert rows[1][4] == "サンプルネット株式会社"
    assert rows[1][8:14] == ["72728", "7272", "80000", "0", "30000", "50000"]
    assert rows[1][14] == "一部入金"
    # TELESA's staff get no JAIPA row; applicants get no export.
    assert len(_csv(client_for("tomo").get(reverse("fees:export")))) == 1
    assert client_for("alice").get(reverse("fees:export")).status_code == 403


def test_csv_export_of_the_summary_by_month_and_body(client_for, invoice):
    rows = _csv(client_for("rin").get(reverse("fees:export") + "?what=summary&year=2026"))
    assert rows[1] == ["2026-04", "JAIPA", "1", "80000", "0", "0", "80000", "0", "0"]
