import os
import stat
import subprocess
import sys
from pathlib import Path

import ssmark.settings as project_settings


def _settings_value(tmp_path: Path, expr: str, **env: str) -> str:
    full_env = {"PATH": "/usr/bin:/bin", "SSMARK_VAR_DIR": str(tmp_path), **env}
    out = subprocess.run(
        [sys.executable, "-c", f"import ssmark.settings as s; print({expr})"],
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_defaults_are_safe(tmp_path: Path) -> None:
    assert _settings_value(tmp_path, "s.DEBUG") == "False"
    assert _settings_value(tmp_path, "s.LANGUAGE_CODE") == "ja"
    assert _settings_value(tmp_path, "[c for c, _ in s.LANGUAGES]") == "['ja', 'en']"
    assert _settings_value(tmp_path, "s.DATABASES['default']['NAME']") == str(
        tmp_path / "ssmark.sqlite3"
    )


def test_secret_key_is_generated_once_into_var_and_reused(tmp_path: Path) -> None:
    first = _settings_value(tmp_path, "s.SECRET_KEY")
    second = _settings_value(tmp_path, "s.SECRET_KEY")
    assert first == second and len(first) >= 50
    key_file = tmp_path / "secret_key"
    assert key_file.read_text() == first
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_configured_secret_key_must_be_long_enough(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import ssmark.settings"],
        env={
            "PATH": "/usr/bin:/bin",
            "SSMARK_VAR_DIR": str(tmp_path),
            "SSMARK_SECRET_KEY": "short",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "at least 32 characters" in result.stderr


def test_no_secret_in_the_code() -> None:
    source = Path(project_settings.__file__).read_text()
    assert 'SECRET_KEY = "' not in source and "SECRET_KEY = '" not in source


def test_https_site_url_turns_on_secure_cookies(tmp_path: Path) -> None:
    assert _settings_value(tmp_path, "s.SESSION_COOKIE_SECURE") == "False"
    assert (
        _settings_value(tmp_path, "s.SESSION_COOKIE_SECURE", SSMARK_SITE_URL="https://mark.example")
        == "True"
    )


def test_argon2_is_the_password_hasher() -> None:
    # The test suite swaps in a fast hasher; production settings must put Argon2 first.
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
