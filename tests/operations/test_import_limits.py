"""The bulk imports refuse a file past SSMARK_IMPORT_MAX_MB before reading it, and a table past
SSMARK_IMPORT_MAX_ROWS at the first row too many, with a clear message and nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ssmark.licences.models import Licence
from ssmark.people.models import Invitation

from .conftest import seed_rows, write_csv

pytestmark = pytest.mark.django_db


def run(command: str, path: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, path, stdout=out, stderr=err)
        return 0, err.getvalue()
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()


PEOPLE = "email,organisation,roles\n" + "".join(
    f"p{i}@isp.example,sample-net,applicant\n" for i in range(5)
)


@pytest.mark.parametrize("command", ["import_registry", "import_people"])
def test_a_file_past_the_size_limit_is_refused(orgs, tmp_path, settings, command):
    settings.IMPORT_MAX_MB = 1
    path = tmp_path / "big.csv"
    path.write_text("email,organisation,roles\n" + "x" * (2 * 1024 * 1024), encoding="utf-8")
    code, err = run(command, str(path))
    assert code == 2
    assert f"big.csv is {path.stat().st_size} bytes, more than SSMARK_IMPORT_MAX_MB (1 MB)" in err
    assert not Licence.objects.exists() and not Invitation.objects.exists()


def test_too_many_rows_are_refused(orgs, users, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    registry = write_csv(tmp_path / "r.csv", seed_rows())
    code, err = run("import_registry", str(registry))
    assert (
        code == 2
        and "line 5: file: more than SSMARK_IMPORT_MAX_ROWS (3) rows below the header" in err
    )
    assert not Licence.objects.exists()

    people = tmp_path / "p.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    code, err = run("import_people", str(people))
    assert (
        code == 2
        and "line 5: file: more than SSMARK_IMPORT_MAX_ROWS (3) rows below the header" in err
    )
    assert not Invitation.objects.exists()


def test_blank_rows_count_towards_the_row_limit(orgs, tmp_path, settings):
    """A sheet can declare a million empty rows: they are read one by one, so they count."""
    settings.IMPORT_MAX_ROWS = 3
    path = tmp_path / "blank.csv"
    path.write_text(PEOPLE.splitlines()[0] + "\n" + ",,\n" * 10, encoding="utf-8")
    code, err = run("import_people", str(path))
    assert code == 2 and "line 5: file: more than SSMARK_IMPORT_MAX_ROWS (3) rows" in err


def test_an_xlsx_is_read_as_the_cells_it_holds_not_the_range_it_declares(tmp_path):
    import re
    import zipfile

    from openpyxl import Workbook

    from ssmark.operations.tabular import _xlsx_lines

    book = Workbook()
    book.active.append(["email", "organisation", "roles"])  # type: ignore[union-attr]
    book.active.append(["a@isp.example", "sample-net", "applicant"])  # type: ignore[union-attr]
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    declared = tmp_path / "declared.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(declared, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD2"', data)
                assert b"XFD2" in data
            dst.writestr(item, data)
    assert [len(cells) for _n, cells in _xlsx_lines(declared)] == [3, 3]


def test_an_xlsx_that_unpacks_past_the_limit_is_refused(orgs, tmp_path, settings):
    from openpyxl import Workbook

    settings.IMPORT_MAX_MB = 1
    book = Workbook()
    book.active.append(["email", "organisation", "roles"])  # type: ignore[union-attr]
    for i in range(100):  # a cell holds at most 32,767 characters
        book.active.append([f"{i}" + "a" * 30_000, "sample-net", "applicant"])  # type: ignore[union-attr]
    path = tmp_path / "bomb.xlsx"
    book.save(path)
    assert path.stat().st_size < 1024 * 1024  # small on disk
    code, err = run("import_people", str(path))
    assert code == 2 and "the workbook unpacks to" in err and "(1 MB)" in err
