"""The one CSV writer for every export (registry, fees, reports).

- UTF-8 with a byte-order mark, CRLF line ends: Excel on a Japanese Windows opens it correctly.
- Cells that a spreadsheet would run as a formula are neutralised (OWASP's CSV-injection rule):
  a text cell starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe.
  Numbers stay numbers (a negative amount is not text and is written as is).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """One cell as text, safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole file as text, byte-order mark first."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Any:
    """An HttpResponse that downloads the rows as `filename`."""
    from django.http import HttpResponse

    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
