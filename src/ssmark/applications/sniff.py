"""What an uploaded file really is, from its first bytes: never from its name.

Accepted: PDF, PNG, JPEG, GIF, WebP, Office Open XML (docx / xlsx / pptx: a zip holding
`[Content_Types].xml`) and legacy OLE2 Word / Excel files. Everything else is refused, and
`describe()` says what it looks like (a Windows program, a zip archive, HTML…) for the message.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 4096
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The OLE2 directory holds stream names in UTF-16LE; Word has "WordDocument", Excel "Workbook"
# (or "Book" for Excel 5/95). We look for them in the first part of the file.
OLE2_SCAN_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str  # the proper extension, with dot
    label: str  # short human name, e.g. "PDF"


PDF = Sniffed("application/pdf", ".pdf", "PDF")
PNG = Sniffed("image/png", ".png", "PNG")
JPEG = Sniffed("image/jpeg", ".jpg", "JPEG")
GIF = Sniffed("image/gif", ".gif", "GIF")
WEBP = Sniffed("image/webp", ".webp", "WebP")
DOCX = Sniffed(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"
)
XLSX = Sniffed(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"
)
PPTX = Sniffed(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pptx",
    "PowerPoint",
)
DOC = Sniffed("application/msword", ".doc", "Word 97-2003")
XLS = Sniffed("application/vnd.ms-excel", ".xls", "Excel 97-2003")

ACCEPTED: tuple[Sniffed, ...] = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, DOC, XLS)
ACCEPTED_TYPES = frozenset(s.content_type for s in ACCEPTED)
# For <input accept="…">: a hint for the file chooser only; the content decides.
ACCEPT_ATTR = ",".join(sorted({s.extension for s in ACCEPTED} | {".jpeg"}))


def _is_ooxml(fh: IO[bytes]) -> Sniffed | None:
    try:
        with zipfile.ZipFile(fh) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    prefixes = {name.split("/", 1)[0] for name in names}
    if "word" in prefixes:
        return DOCX
    if "xl" in prefixes:
        return XLSX
    if "ppt" in prefixes:
        return PPTX
    return None


def _ole2_kind(fh: IO[bytes]) -> Sniffed | None:
    fh.seek(0)
    data = fh.read(OLE2_SCAN_BYTES)
    if "WordDocument".encode("utf-16-le") in data:
        return DOC
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return XLS
    return None


def sniff(fh: IO[bytes]) -> Sniffed | None:
    """The accepted type `fh` really holds, or None. Leaves the file position at 0."""
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    fh.seek(0)
    result: Sniffed | None = None
    if head.startswith(b"%PDF-"):
        result = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        result = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        result = JPEG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        result = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        result = WEBP
    elif head.startswith(b"PK\x03\x04"):
        result = _is_ooxml(fh)
    elif head.startswith(OLE2_MAGIC):
        result = _ole2_kind(fh)
    fh.seek(0)
    return result


def describe(fh: IO[bytes]) -> str | Promise:
    """A short description of what a refused file looks like, for the error message."""
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    fh.seek(0)
    if not head:
        return _("an empty file")
    if head.startswith(b"MZ"):
        return _("a Windows program (EXE/DLL)")
    if head.startswith(b"\x7fELF"):
        return _("a Linux program (ELF)")
    if head[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
    ):
        return _("a macOS program (Mach-O)")
    if head.startswith(b"\xca\xfe\xba\xbe"):
        return _("a Java class or macOS program")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _("a ZIP archive that is not an Office document")
    if head.startswith(OLE2_MAGIC):
        return _("an OLE2 compound file that is not a Word or Excel document (e.g. an installer)")
    if head.startswith(b"\x1f\x8b"):
        return _("a gzip archive")
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return _("a 7-Zip archive")
    if head.startswith(b"Rar!"):
        return _("a RAR archive")
    if head.startswith(b"#!"):
        return _("a script")
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<script" in lowered:
        return _("an HTML page")
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<svg"):
        return _("an XML or SVG file")
    if head.startswith(b"%!PS"):
        return _("a PostScript file")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _("a TIFF image")
    if head.startswith(b"BM"):
        return _("a BMP image")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("binary data of an unknown kind")
    return _("a text file")
