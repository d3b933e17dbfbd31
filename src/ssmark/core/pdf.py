"""What the Japanese PDFs (invoice, agenda and minutes, pass notice, demo files) have in common.

The fonts are embedded: IPAex Gothic (headings, labels) and IPAex Mincho (body text), TrueType
files from Debian's fonts-ipaexfont (installed by scripts/sysdeps.sh), subset into each PDF so
that any viewer shows the Japanese text, with or without Japanese fonts of its own. The folders
searched are `SSMARK_PDF_FONT_DIRS` (settings) and then Debian's. Where no file is found, the
PDFs fall back to reportlab's CID fonts HeiseiKakuGo-W5/HeiseiMin-W3, which are named, not
embedded (a viewer with no Japanese font then cannot show them); a system check warns about it.
Each document keeps its own styles and layout; this module holds the font registration, the A4
page set-up, the ruled-table colours and the Japanese date.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, SimpleDocTemplate

from ssmark.core.dates import ja_date

__all__ = [
    "GOTHIC",
    "MINCHO",
    "build_pdf",
    "fonts_embedded",
    "grid_style",
    "ja_date",
    "register_fonts",
]

DEBIAN_FONT_DIRS = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic"),
    Path("/usr/share/fonts/opentype/ipaexfont-mincho"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic"),
    Path("/usr/share/fonts/truetype/ipaexfont-mincho"),
)
# (the font's name in the PDF, its file, the CID font used when the file is missing)
_FACES = {
    "gothic": ("IPAexGothic", "ipaexg.ttf", "HeiseiKakuGo-W5"),
    "mincho": ("IPAexMincho", "ipaexm.ttf", "HeiseiMin-W3"),
}


def font_dirs() -> list[Path]:
    from django.conf import settings

    configured = [Path(p) for p in getattr(settings, "PDF_FONT_DIRS", [])]
    return [*configured, *DEBIAN_FONT_DIRS]


def find_font_file(filename: str) -> Path | None:
    for folder in font_dirs():
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    return None


def fonts_embedded() -> bool:
    """True when both TrueType files are there, so that the PDFs carry their fonts."""
    return all(find_font_file(filename) for _, filename, _ in _FACES.values())


# Names resolved once: documents pass these to their styles.
GOTHIC = "SSMarkGothic"
MINCHO = "SSMarkMincho"

# Ruled tables: thin grid lines, the header row (or label column) shaded.
RULE = colors.HexColor("#9aa3b2")
SHADE = colors.HexColor("#eef1f6")

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register both CID fonts once per process (safe from several threads at once). Call it
    before making the story: a Paragraph looks its font up when it is made.

    Each font is also its own family (there are no bold or italic faces), so a paragraph's
    <b> or <i> keeps the font instead of failing.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        embedded = fonts_embedded()
        for alias, face in ((GOTHIC, "gothic"), (MINCHO, "mincho")):
            _name, filename, cid = _FACES[face]
            if embedded:
                path = find_font_file(filename)
                assert path is not None  # fonts_embedded() said so
                # A TTFont under our alias: reportlab subsets and embeds it in each PDF.
                pdfmetrics.registerFont(TTFont(alias, str(path)))
            else:
                pdfmetrics.registerFont(_cid_alias(alias, cid))
            pdfmetrics.registerFontFamily(
                alias, normal=alias, bold=alias, italic=alias, boldItalic=alias
            )
        _registered = True


def _cid_alias(alias: str, cid: str) -> UnicodeCIDFont:
    font = UnicodeCIDFont(cid)
    font.fontName = alias  # documents use the alias whichever font stands behind it
    return font


def grid_style(
    *,
    shaded: Literal["row", "column"],
    rule: colors.Color = RULE,
    shade: colors.Color = SHADE,
    end: tuple[int, int] = (-1, -1),
) -> list[tuple[Any, ...]]:
    """TableStyle commands of a ruled table: a 0.5 pt grid up to cell `end`, and the first row
    (`shaded="row"`, a header) or the first column (`shaded="column"`, labels) shaded."""
    last = (-1, 0) if shaded == "row" else (0, -1)
    return [
        ("GRID", (0, 0), end, 0.5, rule),
        ("BACKGROUND", (0, 0), last, shade),
    ]


PageCallback = Callable[[Any, Any], None]


def build_pdf(
    story: Sequence[Flowable],
    *,
    margins: tuple[float, float],
    title: str,
    author: str,
    subject: str | None = None,
    on_page: PageCallback | None = None,
) -> bytes:
    """Lay `story` out on A4 pages and return the PDF (registering the fonts, for `on_page`).

    `margins` is (left and right, top and bottom); `on_page(canvas, doc)`, if given, draws on
    every page (a footer, say).
    """
    register_fonts()
    buffer = io.BytesIO()
    side, top = margins
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=side,
        rightMargin=side,
        topMargin=top,
        bottomMargin=top,
        title=title,
        author=author,
        subject=subject,
    )
    if on_page is None:
        doc.build(list(story))
    else:
        doc.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
