"""Icons are inline SVG; no template shows an emoji (they render as empty boxes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

SRC = Path(__file__).resolve().parents[2] / "src" / "ssmark"
# Pictographs, dingbats and miscellaneous symbols: the ranges that need an emoji font.
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u26ff\u2700-\u27bf\u2b50\u2b06\u2194-\u21aa]")


def test_icon_renders_an_inline_svg_hidden_from_screen_readers() -> None:
    html = Template('{% load icons %}{% icon "file" %}').render(Context())
    assert html.startswith("<svg") and 'aria-hidden="true"' in html and "<path d=" in html


def test_icon_with_a_label_is_announced() -> None:
    html = Template('{% load icons %}{% icon "check" label="met" %}').render(Context())
    assert 'role="img" aria-label="met"' in html


def test_unknown_icon_is_an_error_not_a_blank() -> None:
    with pytest.raises(TemplateSyntaxError, match="unknown icon"):
        Template('{% load icons %}{% icon "rocket" %}').render(Context())


def test_no_template_or_script_uses_an_emoji() -> None:
    found = []
    for path in [*SRC.rglob("*.html"), *SRC.rglob("*.js")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if EMOJI.search(line):
                found.append(f"{path.relative_to(SRC)}:{number}: {line.strip()[:80]}")
    assert not found, "\n".join(found)
