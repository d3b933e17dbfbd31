"""Point 6: the DOCTYPE pre-scan finds entity declarations however the internal subset hides
its `]` (comments, quoted strings, processing instructions); lxml's own flags stay the second
wall and do not expand an entity even when the pre-scan is skipped."""

from __future__ import annotations

import io

import pytest

from ssmark.scans.errors import ReportError
from ssmark.scans.xmlsafe import check_prolog, iterparse, root_name

HIDDEN = [
    # A `]>` inside a comment used to end the subset early; the entity followed it.
    '<?xml version="1.0"?><!DOCTYPE r [<!-- ]> <x> --><!ENTITY e "boom">]><r>&e;</r>',
    # ... inside a quoted attribute default.
    '<!DOCTYPE r [<!ATTLIST r a CDATA "]> <x>"><!ENTITY e "boom">]><r>&e;</r>',
    # ... inside a processing instruction.
    '<!DOCTYPE r [<?pi ]> <x> ?><!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>',
    # ... inside the system identifier.
    '<!DOCTYPE r SYSTEM "x]>" [<!ENTITY e "boom">]><r>&e;</r>',
]


@pytest.mark.parametrize("text", HIDDEN)
def test_entity_hidden_behind_a_bracket_is_refused(text: str) -> None:
    with pytest.raises(ReportError, match="declares entities"):
        check_prolog(text, "hostile.xml")


def test_brackets_in_comments_and_strings_do_not_end_the_doctype() -> None:
    text = '<!DOCTYPE r [<!-- ] > --><!ATTLIST r a CDATA "x]>y">]><!-- c --><r a="1"/>'
    root, doctype = root_name(text)
    assert root == "r"
    assert doctype.endswith('"x]>y">]>')
    assert check_prolog(text, "ok.xml") == "r"


def test_unterminated_doctype_is_refused() -> None:
    with pytest.raises(ReportError, match="DOCTYPE"):
        check_prolog("<!DOCTYPE r [<!-- ]> never closed <r/>", "cut.xml")


def test_lxml_does_not_expand_entities_even_without_the_prescan() -> None:
    text = b'<!DOCTYPE r [<!ENTITY e "EXPANDED">]><r><i>&e;</i></r>'
    texts = [elem.text or "" for _event, elem in iterparse(io.BytesIO(text), ["i"])]
    assert all("EXPANDED" not in t for t in texts)
