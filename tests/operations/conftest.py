"""Fixtures for the operations tests: a signing key of the test's own, the seed registry file."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from ssmark.core import clock
from ssmark.licences import demo
from tests.licences.conftest import _signing_key

__all__ = ["_signing_key"]  # autouse: every test gets its own signing key file


HEADER = [
    "number",
    "service_name",
    "company",
    "reception_body",
    "first_granted",
    "valid_from",
    "valid_until",
    "status",
]
BODY_BY_LETTER = {"J": "JAIPA", "T": "TELESA", "D": "TCA"}


def seed_rows(today: datetime.date | None = None) -> list[dict[str, str]]:
    """The 112 services of seed 002 as registry rows (the demo's letters and dates; each
    validity period contains today, so all 112 are valid on the public pages)."""
    today = today or clock.today()
    rows = []
    for n, service, company in demo.SEED_002_SERVICES:
        letter = demo.letter_for(n)
        first = demo.first_granted_on(n)
        start, until = demo.current_period(first, today)
        rows.append(
            {
                "number": f"{letter}{n:04d}",
                "service_name": service,
                "company": company,
                "reception_body": BODY_BY_LETTER[letter],
                "first_granted": first.isoformat(),
                "valid_from": start.isoformat(),
                "valid_until": until.isoformat(),
                "status": "active",
            }
        )
    return rows


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    bom: bool = True,
    newline: str = "\r\n",
) -> Path:
    header = header or HEADER
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=header, lineterminator=newline, extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes((("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8"))
    return path
