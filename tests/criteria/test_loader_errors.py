"""A broken set is refused with a message naming the file, the item (or part) and the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ssmark.criteria import CriteriaError, discover, load_set
from tests.criteria.sets import TINY, tiny, write_set

Mutation = Callable[[dict[str, Any]], None]


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = data["categories"][0]["groups"][0]["items"]
    return items


def _set(path: str, value: object) -> Mutation:
    """A mutation setting data[a][b]... = value; numeric parts index lists."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return mutate


ITEM = "categories/0/groups/0/items"
GRADED = "categories/0/groups/1/items/0/scoring"

CASES: list[tuple[str, Mutation, str, str]] = [
    # (case, mutation, where, problem)
    ("duplicate code", lambda d: _items(d).append(dict(_items(d)[0])), "item 1-1-1", "duplicate item code 1-1-1"),
    ("unknown evidence", _set(f"{ITEM}/0/evidence", "FAX"), "item 1-1-1", "unknown evidence kind 'FAX'"),
    ("evidence twice", _set(f"{ITEM}/0/evidence", ["DOC", "DOC"]), "item 1-1-1", "evidence kind DOC given twice"),
    ("graded without range", _set(GRADED, {"graded": {"zero_fails": True}}), "item 1-2", "graded item without range"),
    ("graded not a mapping", _set(GRADED, {"graded": True}), "item 1-2", "graded item without range"),
    ("range above 5", _set(f"{GRADED}/graded/max", 7), "item 1-2", "grade range 0..7 is outside 0..5"),
    ("range below 0", _set(f"{GRADED}/graded/min", -1), "item 1-2", "grade range -1..5 is outside 0..5"),
    ("min above max", _set(f"{GRADED}/graded", {"min": 4, "max": 2}), "item 1-2", "min is greater than max"),
    ("zero points", _set(f"{ITEM}/1/scoring/new", {"points": 0}), "item 1-1-2 (new)", "points must be a positive integer, got 0"),
    ("negative points", _set(f"{ITEM}/1/scoring/new", {"points": -3}), "item 1-1-2 (new)", "points must be a positive integer"),
    ("points as text", _set(f"{ITEM}/1/scoring/new", {"points": "4"}), "item 1-1-2 (new)", "points must be a positive integer, got '4'"),
    ("points as bool", _set(f"{ITEM}/1/scoring/new", {"points": True}), "item 1-1-2 (new)", "points must be a positive integer, got True"),
    ("points as float", _set(f"{ITEM}/1/scoring/new", {"points": 2.5}), "item 1-1-2 (new)", "points must be a positive integer"),
    ("bad scoring", _set(f"{ITEM}/0/scoring", "optional"), "item 1-1-1", "scoring must be 'mandatory'"),
    ("unknown review type in rules", _set("rules/renew", {"threshold": 1, "mandatory_count": 1, "points_available": 1}), "rules.renew", "unknown review type 'renew'"),
    ("missing review type in rules", lambda d: d["rules"].pop("renewal"), "rules", "missing review type renewal"),
    ("unknown review type in scoring", _set(f"{ITEM}/1/scoring/renew", "mandatory"), "item 1-1-2", "unknown review type 'renew'"),
    ("audit names a missing item", _set("audit/item", "9-9-9"), "audit", "names item 9-9-9, which the set does not have"),
    ("unknown key on an item", _set(f"{ITEM}/0/note", "x"), "item 1-1-1", "unknown key 'note'"),
    ("unknown top-level key", _set("foo", 1), "", "unknown key 'foo'"),
    ("missing English text", lambda d: _items(d)[0].pop("text_en"), "item 1-1-1", "missing key 'text_en'"),
    ("code outside its group", _set(f"{ITEM}/0/code", "2-1-1"), "item 2-1-1", "does not belong to group 1-1"),
    ("declared mandatory count wrong", _set("rules/new/mandatory_count", 2), "rules.new", "declares mandatory_count 2 but the items have 1 mandatory items"),
    ("declared points wrong", _set("rules/renewal/points_available", 10), "rules.renewal", "declares points_available 10 but the items add up to 5 points"),
    ("threshold above available", _set("rules/new/threshold", 10), "rules.new", "threshold 10 is more than the 9 available"),
    ("unknown scheme", _set("scheme", "satellite"), "scheme", "unknown scheme 'satellite'"),
    ("bad date", _set("applies_from", "next year"), "", "'applies_from' must be a date"),
    ("bad set id", _set("id", "Tiny Set"), "id", "is not a valid set id"),
    ("empty items", _set(f"{ITEM}", []), "group 1-1: items", "must not be empty"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "mutate", "where", "problem"), CASES, ids=[c[0] for c in CASES])
def test_broken_set_is_refused_with_file_item_and_problem(
    tmp_path: Path, case: str, mutate: Mutation, where: str, problem: str
) -> None:
    data = tiny()
    mutate(data)
    path = write_set(tmp_path, data, "broken.yaml")
    with pytest.raises(CriteriaError) as raised:
        load_set(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert raised.value.source == str(path)
    assert raised.value.where == where
    assert problem in raised.value.problem
    assert "\n" not in message
    assert isinstance(raised.value, ValueError)


def test_the_unbroken_set_loads(tmp_path: Path) -> None:
    assert load_set(write_set(tmp_path, tiny())).id == TINY["id"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id: [unclosed\n", "malformed YAML: line 2"),
        ("id: a\nid: b\n", "duplicate key 'id'"),
        ("- just\n- a list\n", "expected a mapping"),
        ("", "expected a mapping, got None"),
    ],
)
def test_unreadable_yaml_names_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CriteriaError, match=problem) as raised:
        load_set(path)
    assert str(raised.value).startswith(f"{path}: ")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="file not found"):
        load_set(tmp_path / "nowhere.yaml")


def test_two_files_with_one_set_id_are_refused(tmp_path: Path) -> None:
    first = write_set(tmp_path, tiny(), "a.yaml")
    second = write_set(tmp_path, tiny(), "b.yaml")
    with pytest.raises(CriteriaError) as raised:
        discover([tmp_path])
    assert str(raised.value).startswith(f"{second}: id: ")
    assert f"already defined in {first}" in str(raised.value)


def test_missing_extra_directory(tmp_path: Path) -> None:
    with pytest.raises(CriteriaError, match="criteria directory not found"):
        discover([tmp_path / "absent"])
