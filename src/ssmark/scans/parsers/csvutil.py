"""CSV exports: delimiter and header sniffing, streaming rows as dicts of known columns."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

from ..errors import ReportError
from ..source import Source, head_text

# Plugin output cells of Nessus exports run to megabytes; refuse only absurd cells.
MAX_FIELD = 32 * 1024 * 1024
csv.field_size_limit(MAX_FIELD)


def normal_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().strip('"').strip().lower())


def first_line(head: bytes) -> str:
    text = head_text(head).lstrip("\ufeff")
    # The header of every supported export fits in its first physical line.
    return text.split("\n", 1)[0].rstrip("\r")


def sniff_delimiter(line: str) -> str:
    counts = {d: 0 for d in (",", ";", "\t")}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return max(counts, key=lambda d: counts[d])


def header_of(head: bytes) -> tuple[list[str], str]:
    line = first_line(head)
    delimiter = sniff_delimiter(line)
    try:
        row = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    except (csv.Error, StopIteration):
        return [], delimiter
    return [normal_header(c) for c in row], delimiter


def rows(source: Source) -> Iterator[dict[str, str]]:
    """Each data row as {normalised header: cell}; empty rows are skipped."""
    with source.open_text() as text:
        header, delimiter = header_of(source.head)
        reader = csv.reader(text, delimiter=delimiter)
        try:
            next(reader, None)  # the header line itself
            for row in reader:
                if not row or not any(cell.strip() for cell in row):
                    continue
                yield {
                    name: (row[i] if i < len(row) else "") for i, name in enumerate(header) if name
                }
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ReportError.of("record_too_long", source.name, limit=MAX_FIELD) from exc
            raise ReportError.of(
                "malformed_csv", source.name, line=reader.line_num, detail=str(exc)
            ) from exc


def pick(row: dict[str, str], *names: str) -> str:
    """The first non-empty cell among the named columns."""
    for name in names:
        value = row.get(name)
        if value is not None:
            value = value.strip()
            if value:
                return value
    return ""
