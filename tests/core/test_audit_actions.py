"""Every audit action used anywhere in the code has a readable sentence in Japanese and English
(issue 15: the histories showed raw keys such as `ssmark.committee.approved`)."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import pytest
from django.utils import translation

from ssmark.committee.models import AgendaDecision
from ssmark.core import audit_actions
from ssmark.core.models import AuditEntry, audit

SRC = Path(__file__).resolve().parents[2] / "src" / "ssmark"
ACTION = re.compile(r"^ssmark\.[a-z_]+\.[a-z_]+$")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")

# Action names built at run time: the f-string's fixed prefix and every value it can take.
DYNAMIC = {
    "ssmark.committee.": [f"ssmark.committee.{d}" for d in AgendaDecision.values],
}


def _is_code_path(name: str) -> bool:
    """`ssmark.core.urls` (a module) or `ssmark.wsgi.application` (an attribute of one)."""
    parent = name.rsplit(".", 1)[0]
    try:
        spec = importlib.util.find_spec(parent)
    except ModuleNotFoundError:
        return False
    if spec is None:
        return False  # "ssmark.application": not code, an action family
    if spec.submodule_search_locations is None:
        return True  # a module's attribute
    return importlib.util.find_spec(name) is not None


def actions_in_code() -> tuple[set[str], list[str]]:
    found: set[str] = set()
    unknown_dynamic: list[str] = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if ACTION.match(node.value) and not _is_code_path(node.value):
                    found.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if (
                    isinstance(head, ast.Constant)
                    and isinstance(head.value, str)
                    and head.value.startswith("ssmark.")
                    and head.value.count(".") == 2
                ):
                    if head.value in DYNAMIC:
                        found.update(DYNAMIC[head.value])
                    else:
                        unknown_dynamic.append(f"{path.relative_to(SRC)}: {head.value}…")
    return found, unknown_dynamic


def test_the_scan_finds_the_known_actions() -> None:
    found, _ = actions_in_code()
    assert {
        "ssmark.application.submitted",
        "ssmark.licence.revoked",
        "ssmark.committee.approved",
    } <= found
    assert "ssmark.core.urls" not in found


def test_every_action_in_the_code_has_a_sentence_in_both_languages() -> None:
    found, unknown_dynamic = actions_in_code()
    assert not unknown_dynamic, (
        f"action names built at run time, add them to DYNAMIC: {unknown_dynamic}"
    )
    missing = sorted(a for a in found if not audit_actions.is_registered(a))
    assert not missing, f"audit actions without a sentence in core/audit_actions.py: {missing}"
    for action in sorted(found):
        with translation.override("en"):
            en = audit_actions.sentence(action)
        with translation.override("ja"):
            ja = audit_actions.sentence(action)
        assert "ssmark." not in en and not JAPANESE.search(en), (action, en)
        assert JAPANESE.search(ja) and ja != en, f"{action}: no Japanese sentence ({ja!r})"


@pytest.mark.django_db
def test_a_sentence_names_the_person_and_the_system(users) -> None:
    alice = users["alice"]
    entry = audit(actor=alice, action="ssmark.application.submitted", target=alice)
    name = audit_actions.actor_name(alice)
    with translation.override("ja"):
        assert audit_actions.describe(entry) == f"{name} が申請を提出しました"
        system = AuditEntry(action="ssmark.licence.lapsed")
        assert (
            audit_actions.describe(system)
            == "システム が使用許諾の期間満了による失効を記録しました"
        )
        # An action no longer registered is still a sentence, not a raw key.
        old = AuditEntry(action="ssmark.old.thing")
        assert "ssmark." not in audit_actions.describe(old)
    with translation.override("en"):
        assert audit_actions.describe(entry) == f"{name} submitted the application"
