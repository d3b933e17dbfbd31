"""The shared CSV writer neutralises formulas (OWASP) and keeps numbers as numbers."""

from __future__ import annotations

import csv
import io

import pytest

from ssmark.core.csvexport import csv_text, neutralise


@pytest.mark.parametrize(
    "cell",
    ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_formula_cells_get_an_apostrophe(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


def test_plain_text_and_numbers_are_unchanged() -> None:
    assert neutralise("サンプルネット") == "サンプルネット"
    assert neutralise(-5000) == "-5000"
    assert neutralise(None) == ""


def test_file_has_bom_crlf_and_safe_cells() -> None:
    text = csv_text(["name", "amount"], [['=HYPERLINK("x")', 100]])
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name", "amount"], ['\'=HYPERLINK("x")', "100"]]
