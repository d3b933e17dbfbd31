"""What the Japanese PDFs (invoice, agenda and minutes, pass notice, demo files) have in common.

reportlab with the CID fonts HeiseiKakuGo-W5 (gothic: headings, labels) and HeiseiMin-W3
(mincho: body text): named, not embedded, so viewers render them with the system's Japanese
font. Each document keeps its own styles and layout; this module holds the font registration,
the A4 page set-up, the ruled-table colours and the Japanese date.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, SimpleDocTemplate

from ssmark.core.dates import ja_date

__all__ = ["GOTHIC", "MINCHO", "build_pdf", "grid_style", "ja_date", "register_fonts"]

GOTHIC = "HeiseiKakuGo-W5"
MINCHO = "HeiseiMin-W3"

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
        for name in (GOTHIC, MINCHO):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(UnicodeCIDFont(name))
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=name, italic=name, boldItalic=name
            )
        _registered = True


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
