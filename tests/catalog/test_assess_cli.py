"""`ssmark assess ANSWERS.yaml [--json] [--lang ja|en]`: exit codes, stderr, JSON, languages."""

from __future__ import annotations

import json
import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from ssmark.criteria import DIRS_ENV_VAR, Kind, get_set
from tests.criteria.sets import tiny, write_set

SSMARK = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "ssmark"


def perfect_answers(review: str = "new") -> dict[str, object]:
    cs = get_set("isp-2010")
    return {item.code: 5 if item.kind_for(review) is Kind.GRADED else "met" for item in cs.items}


def write(tmp_path: Path, data: object, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SSMARK), "assess", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def call(*args: str) -> tuple[int, str, str]:
    """Run the command in-process; returns (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("assess", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_passing_application_exits_0_with_a_japanese_report(tmp_path: Path) -> None:
    path = write(tmp_path, {"review": "new", "answers": perfect_answers()})
    result = run(str(path))
    assert result.returncode == 0, result.stderr
    assert "判定: 合格" in result.stdout
    assert "122点中122点（合格基準91点以上）" in result.stdout
    assert result.stderr == ""


def test_failing_application_exits_1(tmp_path: Path) -> None:
    answers = perfect_answers("renewal")
    answers["1-1-2"] = "unmet"
    path = write(tmp_path, {"criteria": "isp-2010", "review": "renewal", "answers": answers})
    result = run(str(path), "--lang", "en")
    assert result.returncode == 1
    assert "Result: FAIL" in result.stdout
    assert "Mandatory item 1-1-2 is not met" in result.stdout


def test_json_output_is_exactly_one_object_of_the_issue_shape(tmp_path: Path) -> None:
    answers = perfect_answers()
    del answers["2-1-1"]
    path = write(tmp_path, {"review": "new", "answers": answers})
    result = run(str(path), "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert result.stdout.count("\n") == 1
    assert data == {
        "criteria": "isp-2010",
        "review": "new",
        "passed": False,
        "mandatory": {"total": 25, "met": 24, "unmet": ["2-1-1"]},
        "points": {"earned": 122, "available": 122, "threshold": 91},
        "graded_zero": [],
        "unanswered": ["2-1-1"],
        "reasons": data["reasons"],
    }
    assert "必須項目 2-1-1 が未回答です（未充足として扱います）" in data["reasons"]


def test_json_reasons_follow_lang(tmp_path: Path) -> None:
    answers = perfect_answers()
    answers["7-1-1"] = 0
    path = write(tmp_path, {"review": "new", "answers": answers})
    code, out, _ = call(str(path), "--json", "--lang", "en")
    assert code == 1
    data = json.loads(out)
    assert data["graded_zero"] == ["7-1-1"]
    assert "Item 7-1-1 is graded 0, and a 0 fails the application" in data["reasons"]


BAD_INPUTS = [
    ("malformed YAML", "review: [new\n", "malformed YAML"),
    ("unknown set", "criteria: isp-1999\nreview: new\n", "unknown criteria set 'isp-1999'"),
    ("unknown item", 'review: new\nanswers: {"9-9-9": met}\n', "unknown item code '9-9-9'"),
    ("wrong kind", 'review: new\nanswers: {"7-1-1": met}\n', "expected an integer, got 'met'"),
    ("out of range", 'review: new\nanswers: {"7-1-1": 6}\n', "grade 6 is outside 0–5"),
    ("mandatory as number", 'review: new\nanswers: {"1-1-1": 1}\n', "expected met or unmet"),
    ("unknown review type", "review: first\n", "unknown review type 'first'"),
    ("no review type", "answers: {}\n", "missing 'review'"),
    ("unknown key", "review: new\nanswer: {}\n", "unknown key 'answer'"),
    ("not a mapping", "- new\n", "expected a mapping"),
    ("duplicate answer", 'review: new\nanswers:\n  "1-1-1": met\n  "1-1-1": unmet\n', "duplicate key"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "problem"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_exits_2_with_one_line_naming_file_and_problem(
    tmp_path: Path, case: str, text: str, problem: str
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = call(str(path))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{path}: ")
    assert problem in lines[0]


def test_missing_file_exits_2_via_the_console_script(tmp_path: Path) -> None:
    missing = tmp_path / "absent.yaml"
    result = run(str(missing), "--json")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"{missing}: file not found"]
    assert result.stdout == ""


def test_needs_no_database(tmp_path: Path) -> None:
    # A database URL that cannot work: the command must not touch it.
    path = write(tmp_path, {"review": "new", "answers": perfect_answers()})
    result = run(str(path), env={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert result.returncode == 0, result.stderr


def test_a_set_from_an_extra_directory(tmp_path: Path) -> None:
    write_set(tmp_path / "sets", tiny())
    path = write(
        tmp_path,
        {
            "criteria": "tiny-2030",
            "review": "new",
            "answers": {"1-1-1": "met", "1-2": 2, "1-1-2": True},
        },
    )
    result = run(str(path), "--json", env={DIRS_ENV_VAR: str(tmp_path / "sets")})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["points"] == {"earned": 6, "available": 9, "threshold": 6}
