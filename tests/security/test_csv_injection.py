"""Point 5: every CSV export goes through the one writer (ssmark.core.csvexport), which
neutralises cells a spreadsheet would run as a formula (OWASP: =, +, -, @, tab, CR)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.test import Client

import ssmark
from ssmark.fees.models import Invoice
from ssmark.fees.services import raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db

EVIL = "=cmd|' /C calc'!A0"


def _rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and "\r\n" in body
    return list(csv.reader(io.StringIO(body[1:])))


def test_registry_csv_neutralises_formulas(orgs, users, freeze_today) -> None:
    freeze_today(datetime.date(2026, 6, 1))
    lic = factories.licence(orgs)
    lic.service_name = EVIL
    lic.save()
    orgs["sample-net"].name = "@SUM(A1:A9)"
    orgs["sample-net"].save()
    response = Client().get("/registry.csv")
    assert response.status_code == 200
    cells = [cell for row in _rows(response) for cell in row]
    assert "'" + EVIL in cells and EVIL not in cells
    assert "'@SUM(A1:A9)" in cells


def test_fees_exports_neutralise_formulas(orgs, users, client_for, freeze_today) -> None:
    freeze_today(datetime.date(2026, 4, 15))
    app = factories.application(orgs, users, service_name="光")
    raise_review_fee(application=app, actor=None)
    Invoice.objects.filter(application=app).update(addressee_name="+1+cmd|' /C calc'!A0")
    rows = _rows(client_for("sue").get("/fees/invoices/export.csv"))
    assert rows[1][4] == "'+1+cmd|' /C calc'!A0"
    assert rows[1][8] == "72728"  # numbers stay numbers
    summary = _rows(client_for("sue").get("/fees/invoices/export.csv?what=summary"))
    assert len(summary) >= 2


def test_no_csv_writer_outside_the_shared_one() -> None:
    package = Path(ssmark.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(
            r"csv\.(writer|DictWriter)\(|write\(\"\\ufeff", path.read_text(encoding="utf-8")
        )
        and path.relative_to(package).as_posix() != "core/csvexport.py"
    ]
    assert offenders == []
