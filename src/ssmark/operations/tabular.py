"""Reading a table with a header row from a CSV file (UTF-8, with or without BOM, CRLF or LF)
or an .xlsx workbook (its first sheet), for the bulk imports.

Each data row comes with the line number an operator sees (the header is line 1), and every
problem is reported as `line N: column: what is wrong`.
"""

from __future__ import annotations

import csv
import datetime
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.column}: {self.message}"


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


class ImportRefused(Exception):
    """The file is refused and nothing was written; `problems` (by line, then column) say why.
    The one refusal of the bulk imports (import-registry, import-people)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line, p.column))
        super().__init__("; ".join(str(p) for p in self.problems))

    def exit(self, stderr: Any, consequence: str) -> NoReturn:
        """The command line's answer: every problem on stderr, then `N problem(s);
        <consequence>`, exit status 2."""
        for problem in self.problems:
            stderr.write(str(problem))
        stderr.write(f"{len(self.problems)} problem(s); {consequence}")
        sys.exit(2)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_lines(path: Path) -> Iterable[tuple[int, list[str]]]:
    start = 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            for cells in reader:
                yield start, [c.strip() for c in cells]
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise ImportRefused([Problem(start, "file", f"not UTF-8 text ({exc.reason})")]) from None
    except csv.Error as exc:
        raise ImportRefused([Problem(start, "file", f"not valid CSV ({exc})")]) from None


def _xlsx_lines(path: Path) -> Iterable[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook

    # openpyxl holds the shared strings in memory: a few MB of .xlsx can unpack to gigabytes.
    limit = settings.IMPORT_MAX_MB * 1024 * 1024
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused(
            [Problem(1, "file", f"not a readable .xlsx workbook ({exc})")]
        ) from None
    if unpacked > limit:
        message = (
            f"the workbook unpacks to {unpacked} bytes, more than SSMARK_IMPORT_MAX_MB "
            f"({settings.IMPORT_MAX_MB} MB)"
        )
        raise ImportRefused([Problem(0, "file", message)])
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportRefused(
            [Problem(1, "file", f"not a readable .xlsx workbook ({exc})")]
        ) from None
    try:
        sheet = book.worksheets[0]
        # The cells the file holds, not the used range it declares (which can say XFD1048576:
        # every row padded to 16,384 columns).
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()


def read_table(path: Path) -> Table:
    """The header (lower-cased, stripped) and the non-blank data rows of `path`."""
    if not path.is_file():
        raise ImportRefused([Problem(0, "file", f"{path} does not exist")])
    size, limit = path.stat().st_size, settings.IMPORT_MAX_MB * 1024 * 1024
    if size > limit:
        raise ImportRefused(
            [
                Problem(
                    0,
                    "file",
                    f"{path} is {size} bytes, more than SSMARK_IMPORT_MAX_MB "
                    f"({settings.IMPORT_MAX_MB} MB)",
                )
            ]
        )
    lines = _xlsx_lines(path) if path.suffix.lower() == ".xlsx" else _csv_lines(path)
    table: Table | None = None
    below = 0  # rows below the header, blank ones included (a sheet can declare a million)
    for number, cells in lines:
        if table is None:
            header = [c.strip().lower() for c in cells]
            while header and not header[-1]:
                header.pop()
            table = Table(header=header)
            continue
        below += 1
        if below > settings.IMPORT_MAX_ROWS:
            limit = settings.IMPORT_MAX_ROWS
            message = f"more than SSMARK_IMPORT_MAX_ROWS ({limit}) rows below the header"
            raise ImportRefused([Problem(number, "file", message)])
        if not any(cells):
            continue  # blank lines (an editor's trailing rows) carry nothing
        extra = [c for c in cells[len(table.header) :] if c]
        row = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(table.header)}
        if extra:
            row["\0extra"] = ", ".join(extra)
        table.rows.append((number, row))
    if table is None or not table.header:
        raise ImportRefused([Problem(1, "file", "no header row")])
    return table


def check_header(table: Table, required: Iterable[str], optional: Iterable[str]) -> list[Problem]:
    """Missing, unknown, blank and repeated column names, as problems on line 1."""
    required, optional = list(required), list(optional)
    known = set(required) | set(optional)
    problems = []
    seen: set[str] = set()
    for name in table.header:
        if not name:
            problems.append(Problem(1, "(blank)", "a column has no name"))
        elif name in seen:
            problems.append(Problem(1, name, "the column appears twice"))
        elif name not in known:
            problems.append(
                Problem(1, name, "unknown column (allowed: " + ", ".join(required + optional) + ")")
            )
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem(1, name, "required column is missing"))
    for number, row in table.rows:
        if "\0extra" in row:
            problems.append(
                Problem(number, "(beyond the header)", "cells outside the header's columns")
            )
    return problems


def parse_date(value: str) -> datetime.date | None:
    """A `YYYY-MM-DD` date, or None."""
    if len(value) != 10:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
