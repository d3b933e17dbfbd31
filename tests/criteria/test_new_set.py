"""A new set is a new YAML file only: a made-up set with its own counts and thresholds."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ssmark.criteria import (
    DIRS_ENV_VAR,
    Kind,
    Scheme,
    assess,
    get_set,
    load_all_sets,
    load_set,
    parse_answers,
    set_directories,
    set_in_force,
)
from tests.criteria.sets import tiny, write_set


@pytest.fixture
def tiny_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "sets"
    write_set(directory, tiny())
    monkeypatch.setenv(DIRS_ENV_VAR, str(directory))
    return directory


def test_a_made_up_set_loads_with_its_own_numbers(tiny_dir: Path) -> None:
    cs = get_set("tiny-2030")
    assert cs.scheme is Scheme.PUBLIC_WIFI
    assert (cs.mandatory_count("new"), cs.points_available("new"), cs.rule("new").threshold) == (
        1,
        9,
        6,
    )
    assert (cs.mandatory_count("renewal"), cs.points_available("renewal")) == (2, 5)
    assert cs.rule("renewal").threshold == 4
    assert cs.item("1-2").kind_for("new") is Kind.GRADED
    assert {s.id for s in load_all_sets()} == {"isp-2010", "tiny-2030"}


def test_a_made_up_set_assesses_with_no_code_change(tiny_dir: Path) -> None:
    cs = get_set("tiny-2030")
    at_threshold = assess(cs, "new", {"1-1-1": "met", "1-1-2": "met", "1-2": 2})
    assert at_threshold.passed and at_threshold.points_earned == 6
    short = assess(cs, "new", {"1-1-1": "met", "1-1-2": "met", "1-2": 1})
    assert not short.passed and short.points_shortfall == 1
    # 1-2 is graded without zero_fails: 0 is just 0 points.
    zero = assess(cs, "new", {"1-1-1": "met", "1-1-2": "met", "1-2": 0})
    assert zero.graded_zero == () and zero.points_earned == 4
    renewal = assess(cs, "renewal", {"1-1-1": "met", "1-1-2": "unmet", "1-2": 5})
    assert not renewal.passed and renewal.mandatory_unmet == ("1-1-2",)
    assert renewal.to_dict()["mandatory"] == {"total": 2, "met": 1, "unmet": ["1-1-2"]}
    assert renewal.to_dict()["points"] == {"earned": 5, "available": 5, "threshold": 4}


def test_answers_file_can_name_the_new_set(tiny_dir: Path) -> None:
    parsed = parse_answers({"criteria": "tiny-2030", "review": "renewal", "answers": {"1-2": 4}})
    assert parsed.criteria.id == "tiny-2030"


def test_extra_directories_come_after_the_builtin_one(tiny_dir: Path, tmp_path: Path) -> None:
    dirs = set_directories([tmp_path])
    assert dirs[0].name == "sets" and dirs[1] == tiny_dir.resolve() and dirs[2] == tmp_path


def test_set_in_force_picks_the_latest_applicable(tmp_path: Path) -> None:
    first = load_set(write_set(tmp_path, tiny()))
    data = tiny()
    data.update(id="tiny-2031", applies_from="2031-01-01")
    second = load_set(write_set(tmp_path, data))
    sets = [first, second]
    assert set_in_force(sets, "public_wifi", datetime.date(2029, 12, 31)) is None
    assert set_in_force(sets, "public_wifi", datetime.date(2030, 4, 1)) == first
    assert set_in_force(sets, Scheme.PUBLIC_WIFI, datetime.date(2031, 1, 1)) == second
    assert set_in_force(sets, "isp", datetime.date(2031, 1, 1)) is None


def test_an_edited_file_is_read_again(tmp_path: Path) -> None:
    path = write_set(tmp_path, tiny())
    assert load_set(path).title.en == "Tiny test criteria"
    data = tiny()
    data["title_en"] = "Tiny test criteria, edited"
    write_set(tmp_path, data)
    os.utime(path, ns=(0, 10**18))  # a different mtime even on a coarse clock
    assert load_set(path).title.en == "Tiny test criteria, edited"


def test_the_criteria_package_imports_no_django() -> None:
    code = (
        "import sys, ssmark.criteria as c; c.assess(c.get_set('isp-2010'), 'new', {});"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'));"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
