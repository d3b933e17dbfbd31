"""Japanese is the first language of every screen: every UI string has a Japanese translation.

Collects message ids from every template ({% translate %}, {% blocktranslate %}, _("…") in tags)
and every Python module (_(), gettext(), gettext_lazy(), pgettext…) of the package, and checks
that each one translates in Japanese. A string added without a Japanese msgstr fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

import ssmark

PACKAGE = Path(ssmark.__file__).parent
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}

TRANSLATE_TAG = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
)
UNDERSCORE_IN_TAG = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""")
BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*endblocktrans(?:late)?\s*%\}",
    re.S,
)
VARIABLE = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def _block_msgid(args: str, body: str) -> str | None:
    if re.search(r"\bcount\b", args) or "{% plural" in body:
        return None  # plural forms: checked by hand
    if "trimmed" in args.split():
        body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
    return VARIABLE.sub(lambda m: f"%({m.group(1)})s", body)


def template_msgids(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found: set[str] = set()
    for pattern in (TRANSLATE_TAG, UNDERSCORE_IN_TAG):
        for match in pattern.finditer(text):
            found.add(match.group(1) if match.group(1) is not None else match.group(2))
    for match in BLOCK.finditer(text):
        msgid = _block_msgid(match.group("args"), match.group("body"))
        if msgid:
            found.add(msgid)
    return found


def python_msgids(path: Path) -> set[tuple[str | None, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_NAMES:
            continue
        if name.startswith("pgettext"):
            if len(node.args) >= 2 and all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2]
            ):
                found.add((node.args[0].value, node.args[1].value))
        elif isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.add((None, node.args[0].value))
    return found


def _needs_translation(msgid: str) -> bool:
    # Strings with no Latin letters outside placeholders (e.g. "%(n)s / %(m)s") need none.
    return bool(re.search(r"[A-Za-z]", re.sub(r"%\(\w+\)[sd]|%[sd]", "", msgid)))


def collect() -> list[tuple[str, str | None, str]]:
    items: list[tuple[str, str | None, str]] = []
    for path in sorted(PACKAGE.rglob("templates/**/*.html")) + sorted(
        PACKAGE.rglob("templates/**/*.txt")
    ):
        items += [(str(path.relative_to(PACKAGE)), None, m) for m in template_msgids(path)]
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        items += [(str(path.relative_to(PACKAGE)), c, m) for c, m in python_msgids(path)]
    return [item for item in items if _needs_translation(item[2])]


def test_the_collector_finds_strings() -> None:
    # Guards against a collector that silently finds nothing (and so can never fail).
    found = {msgid for _, _, msgid in collect()}
    assert "Sign in" in found
    assert "Internet Connection Service Safe/Secure Mark" in found


def test_every_ui_string_has_a_japanese_translation() -> None:
    missing = []
    with translation.override("ja"):
        for where, context, msgid in collect():
            if context is None:
                translated = translation.gettext(msgid)
            else:
                translated = translation.pgettext(context, msgid)
            if translated == msgid:
                missing.append(f"{where}: {msgid!r}")
    if missing:
        pytest.fail(
            f"{len(missing)} UI strings have no Japanese translation:\n"
            + "\n".join(sorted(set(missing)))
        )
