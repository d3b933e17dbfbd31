import subprocess
import sys

import pytest

from ssmark.env import EnvError, env_bool, env_int, env_list, env_str


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " On "])
def test_true_spellings(raw: str) -> None:
    assert env_bool("X", False, {"X": raw}) is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", "OFF"])
def test_false_spellings(raw: str) -> None:
    assert env_bool("X", True, {"X": raw}) is False


@pytest.mark.parametrize("raw", ["ture", "y", "2", "enabled", "nein"])
def test_unknown_boolean_spelling_is_an_error_naming_the_variable(raw: str) -> None:
    with pytest.raises(EnvError, match=r"^SSMARK_DEBUG="):
        env_bool("SSMARK_DEBUG", False, {"SSMARK_DEBUG": raw})


def test_unset_or_blank_takes_the_default() -> None:
    assert env_bool("X", True, {}) is True
    assert env_bool("X", False, {"X": "  "}) is False
    assert env_int("N", 7, {}) == 7
    assert env_str("S", "d", {"S": ""}) == "d"


def test_int_parsing_is_strict() -> None:
    assert env_int("N", 1, {"N": " 42 "}) == 42
    with pytest.raises(EnvError, match="N='4x' is not an integer"):
        env_int("N", 1, {"N": "4x"})
    with pytest.raises(EnvError, match="below the minimum"):
        env_int("N", 1, {"N": "0"}, minimum=1)


def test_list_rejects_empty_items() -> None:
    assert env_list("L", ["a"], {"L": "x, y"}) == ["x", "y"]
    with pytest.raises(EnvError, match="empty item"):
        env_list("L", [], {"L": "x,,y"})


def test_settings_refuse_a_bad_boolean_at_start_up(tmp_path) -> None:
    env = {"SSMARK_DEBUG": "ture", "SSMARK_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import ssmark.settings"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SSMARK_DEBUG='ture' is not a boolean" in result.stderr
