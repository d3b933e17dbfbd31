"""`ssmark load_catalog`: stores every set, idempotent, refuses a changed file."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ssmark.catalog.models import Category, CriteriaSet, Item, ItemKind
from ssmark.catalog.services import current_set, get_criteria_set
from ssmark.criteria import DIRS_ENV_VAR, get_set
from tests.criteria.sets import tiny, write_set

pytestmark = pytest.mark.django_db


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_catalog", *args, stdout=out)
    return out.getvalue()


def test_loads_the_seed_set_with_categories_and_items() -> None:
    assert "loaded: isp-2010 (53 items)" in load()
    set_obj = CriteriaSet.objects.get(set_id="isp-2010")
    assert set_obj.scheme == "isp" and set_obj.applies_from == datetime.date(2010, 3, 1)
    assert len(set_obj.source_sha256) == 64
    assert [c.code for c in Category.objects.filter(criteria_set=set_obj)] == list("1234567")
    items = Item.objects.filter(criteria_set=set_obj)
    assert [i.code for i in items] == list(get_set("isp-2010").item_codes())
    assert items.filter(new_kind=ItemKind.MANDATORY).count() == 25
    assert items.filter(renewal_kind=ItemKind.MANDATORY).count() == 26
    assert sum(i.points_for("new") for i in items) == 122
    assert sum(i.points_for("renewal") for i in items) == 117
    item = items.get(code="1-1-2")
    assert (item.kind_for("new"), item.points_for("new")) == (ItemKind.POINTS, 5)
    assert item.kind_for("renewal") == ItemKind.MANDATORY
    graded = items.get(code="7-1-1")
    assert (graded.new_kind, graded.grade_min, graded.grade_max, graded.zero_fails) == (
        ItemKind.GRADED,
        0,
        5,
        True,
    )
    assert items.get(code="7-5-2").evidence == ["DOC+WEB"]
    assert items.get(code="7-3").category.code == "7"


def test_stored_definition_rebuilds_the_same_set() -> None:
    load()
    set_obj = CriteriaSet.objects.get(set_id="isp-2010")
    rebuilt = get_criteria_set(set_obj)
    assert rebuilt == get_set("isp-2010")
    assert get_criteria_set(set_obj) is rebuilt  # cached


def test_running_twice_changes_nothing() -> None:
    load()
    before = list(Item.objects.values_list("pk", "code"))
    stamp = CriteriaSet.objects.get(set_id="isp-2010").loaded
    assert "up to date" in load()
    assert list(Item.objects.values_list("pk", "code")) == before
    assert CriteriaSet.objects.get(set_id="isp-2010").loaded == stamp


def test_a_set_from_an_extra_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_set(tmp_path / "env", tiny())
    monkeypatch.setenv(DIRS_ENV_VAR, str(tmp_path / "env"))
    other = tiny()
    other.update(id="tiny-2031", applies_from="2031-01-01")
    write_set(tmp_path / "opt", other)
    output = load("--dir", str(tmp_path / "opt"))
    assert "loaded: tiny-2030 (3 items)" in output and "loaded: tiny-2031 (3 items)" in output
    stored = get_criteria_set(CriteriaSet.objects.get(set_id="tiny-2030"))
    assert stored.rule("new").threshold == 6


def test_a_changed_file_is_an_error_naming_set_and_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DIRS_ENV_VAR, str(tmp_path))
    path = write_set(tmp_path, tiny())
    load()
    data = tiny()
    data["categories"][0]["groups"][0]["items"][0]["text_en"] = "A quietly reworded item"
    write_set(tmp_path, data)
    with pytest.raises(CommandError) as raised:
        load()
    message = str(raised.value)
    assert "criteria set tiny-2030 is already loaded" in message and str(path) in message
    stored = CriteriaSet.objects.get(set_id="tiny-2030")
    assert stored.items.get(code="1-1-1").text_en == "A mandatory item"


def test_a_broken_file_is_a_command_error(tmp_path: Path) -> None:
    data = tiny()
    data["rules"]["new"]["threshold"] = 100
    path = write_set(tmp_path, data)
    with pytest.raises(CommandError, match=f"{path}: rules.new: threshold 100"):
        load("--dir", str(tmp_path))
    assert not CriteriaSet.objects.exists()  # all or nothing


def test_current_set_is_the_latest_applicable(tmp_path: Path) -> None:
    older, newer = tiny(), tiny()
    newer.update(id="tiny-2031", applies_from="2031-01-01")
    write_set(tmp_path, older)
    write_set(tmp_path, newer)
    load("--dir", str(tmp_path))
    assert current_set("isp", datetime.date(2010, 2, 28)) is None
    isp = current_set("isp", datetime.date(2024, 1, 1))
    assert isp is not None and isp.set_id == "isp-2010"
    assert current_set("public_wifi", datetime.date(2030, 3, 31)) is None
    found = current_set("public_wifi", datetime.date(2030, 12, 1))
    assert found is not None and found.set_id == "tiny-2030"
    found = current_set("public_wifi", datetime.date(2031, 1, 1))
    assert found is not None and found.set_id == "tiny-2031"
