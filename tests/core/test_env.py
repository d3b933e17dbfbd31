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


def settings_value(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    code = f"import ssmark.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


def test_uploads_arrive_next_to_the_evidence_folder(tmp_path) -> None:
    """Large uploads are written next to the evidence folder (one filesystem: storing one is a
    rename), in a folder created 0700; SSMARK_UPLOAD_TEMP_DIR moves it; one that cannot be
    created stops the start-up with the variable's name."""
    evidence = tmp_path / "mount" / "evidence"
    env = {"SSMARK_VAR_DIR": str(tmp_path / "var"), "SSMARK_EVIDENCE_DIR": str(evidence)}
    result = settings_value(env, "s.FILE_UPLOAD_TEMP_DIR")
    assert result.stdout.strip() == str(tmp_path / "mount" / "uploads-tmp"), result.stderr
    assert (tmp_path / "mount" / "uploads-tmp").stat().st_mode & 0o777 == 0o700
    other = tmp_path / "elsewhere"
    result = settings_value({**env, "SSMARK_UPLOAD_TEMP_DIR": str(other)}, "s.FILE_UPLOAD_TEMP_DIR")
    assert result.stdout.strip() == str(other) and other.is_dir()
    (tmp_path / "a-file").write_text("x")
    result = settings_value({**env, "SSMARK_UPLOAD_TEMP_DIR": str(tmp_path / "a-file" / "up")}, "1")
    assert result.returncode != 0 and "set SSMARK_UPLOAD_TEMP_DIR" in result.stderr


def test_upload_temp_max_age_is_read_strictly(tmp_path) -> None:
    """Stale temporary upload files go after SSMARK_UPLOAD_TEMP_MAX_AGE_HOURS (default 6, at
    least 1: an upload being received must never look stale)."""
    env = {"SSMARK_VAR_DIR": str(tmp_path / "var")}
    assert settings_value(env, "s.UPLOAD_TEMP_MAX_AGE_HOURS").stdout.strip() == "6"
    result = settings_value(
        {**env, "SSMARK_UPLOAD_TEMP_MAX_AGE_HOURS": "24"}, "s.UPLOAD_TEMP_MAX_AGE_HOURS"
    )
    assert result.stdout.strip() == "24", result.stderr
    result = settings_value({**env, "SSMARK_UPLOAD_TEMP_MAX_AGE_HOURS": "0"}, "1")
    assert result.returncode != 0
    assert "SSMARK_UPLOAD_TEMP_MAX_AGE_HOURS=0 is below the minimum 1" in result.stderr
