"""Streaming XML with the hostile-input defences every parser here shares.

- No entity expansion and no external entities: a DOCTYPE that declares entities is
  refused before parsing (billion laughs, XXE); lxml also runs with
  `resolve_entities=False`, `load_dtd=False`, `no_network=True`.
- `huge_tree=False` keeps libxml2's limits: nesting depth (256), text node size (10 MB).
- Elements are cleared as soon as they are read, and their already-read siblings
  deleted, so memory stays flat however large the file grows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from lxml import etree

from .errors import ReportError

_NAME = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
# libxml2's wording when the input stops in the middle of the document.
_TRUNCATED = (
    "premature end",
    "not finished",
    "end of data",
    "document is empty",
    "couldn't find end",
    "unfinished",
    "ended prematurely",
    "not properly terminated",
)


def root_name(text: str) -> tuple[str | None, str]:
    """The local name of the root element and the DOCTYPE declaration, from the head.

    Returns (None, doctype) when the head ends before the root element starts.
    """
    i = 0
    n = len(text)
    doctype = ""
    while i < n:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n:
            break
        if text.startswith("<?", i):
            end = text.find("?>", i)
            if end < 0:
                return None, doctype
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
            if end < 0:
                return None, doctype
            i = end + 3
        elif text.startswith("<!DOCTYPE", i) or text.startswith("<!doctype", i):
            end = _doctype_end(text, i)
            if end < 0:
                return None, text[i:]
            doctype = text[i:end]
            i = end
        elif text.startswith("<", i):
            match = _NAME.match(text, i)
            return (match.group(2) if match else None), doctype
        else:
            return None, doctype
    return None, doctype


def _doctype_end(text: str, start: int) -> int:
    """The index just past the DOCTYPE's closing `>`, or -1 when the head ends first.

    Quoted strings, and in the internal subset comments and processing instructions, are
    skipped whole: a `]` or `>` inside them does not end anything (else an entity declaration
    after a `<!-- ]> -->` would fall outside the declaration we check).
    """
    i = start + len("<!DOCTYPE")
    n = len(text)
    in_subset = False
    while i < n:
        char = text[i]
        if char in "\"'":
            end = text.find(char, i + 1)
            if end < 0:
                return -1
            i = end + 1
        elif in_subset and text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return -1
            i = end + 3
        elif in_subset and text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return -1
            i = end + 2
        elif in_subset:
            in_subset = char != "]"
            i += 1
        elif char == "[":
            in_subset = True
            i += 1
        elif char == ">":
            return i + 1
        else:
            i += 1
    return -1


def check_prolog(text: str, name: str) -> str:
    """Refuse entity declarations; return the root element's local name."""
    root, doctype = root_name(text)
    if _ENTITY_DECL.search(doctype):
        raise ReportError.of("entities_declared", name)
    if root is None:
        raise ReportError.of("doctype_unterminated" if doctype else "no_xml_root", name)
    return root


class _LocalNames(dict[object, str]):
    def __missing__(self, tag: object) -> str:
        name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if len(self) < 100_000:  # tag names repeat; a hostile file cannot grow this forever
            self[tag] = name
        return name


_LOCAL = _LocalNames()


def local(tag: object) -> str:
    """Tag name without namespace ("{urn:x}ReportItem" -> "ReportItem")."""
    return _LOCAL[tag]


def iterparse(
    stream: BinaryIO,
    tags: Iterable[str],
    events: tuple[str, ...] = ("end",),
    *,
    keep_blank_text: bool = True,
) -> Iterator[tuple[str, Any]]:
    """lxml iterparse over `tags` (local names, any namespace) with the safe options.

    `keep_blank_text=False` drops whitespace-only text between elements while parsing (a
    tenth less work for libxml2); only for formats whose texts are read stripped."""
    return etree.iterparse(
        stream,
        events=events,
        tag=[f"{{*}}{t}" for t in tags],
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        dtd_validation=False,
        attribute_defaults=False,
        remove_blank_text=not keep_blank_text,
        # Large reads: fewer round trips between libxml2 and the Python file object.
        chunk_size=1 << 20,
    )


def release(elem: Any) -> None:
    """Free an element we are done with, and the siblings read before it."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def text_of(elem: Any) -> str:
    """All text inside an element (CDATA included), stripped."""
    if elem is None:
        return ""
    return "".join(elem.itertext()).strip()


def xml_error(exc: etree.XMLSyntaxError, name: str) -> ReportError:
    message = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc).strip()
    lowered = message.lower()
    if any(m in lowered for m in _TRUNCATED):
        code = "xml_truncated"
    elif "depth" in lowered or "huge" in lowered:
        code = "xml_too_deep"
    elif "entity" in lowered:
        code = "xml_entity"
    else:
        code = "xml_malformed"
    line = getattr(exc, "lineno", None)
    where = f" at line {line}" if line else ""
    return ReportError.of(code, name, where=where, line=line or "?", detail=message[:200])
