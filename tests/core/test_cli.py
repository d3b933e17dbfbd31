import subprocess
from pathlib import Path

import pytest

from ssmark import cli

SSMARK = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "ssmark"


def test_dashes_map_to_management_command_names(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.append(argv)
    )
    cli.main(["whatever", "run-jobs", "--once", "a-b.xml"])
    assert seen == [["ssmark", "run_jobs", "--once", "a-b.xml"]]


def test_console_script_lists_the_project_commands(tmp_path: Path) -> None:
    if not SSMARK.exists():
        pytest.fail(f"{SSMARK} missing: the console script is not installed")
    out = subprocess.run(
        [str(SSMARK), "help"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "SSMARK_VAR_DIR": str(tmp_path)},
    ).stdout
    for name in ("serve", "demo", "i18n_compile"):
        assert name in out
