"""The built wheel carries the compiled Japanese catalogs: installed into a fresh venv (no
checkout, no compile step), the sign-in page is Japanese."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIP = [sys.executable, "-m", "pip"]
PAGE = """
import django, ssmark
from django.test import Client
django.setup()
print("PACKAGE", ssmark.__file__)
print(Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ja").content.decode())
"""


def _copy_source(into: Path) -> None:
    ignore = shutil.ignore_patterns("*.mo", "__pycache__", "*.pyc")
    shutil.copytree(REPO / "src" / "ssmark", into / "src" / "ssmark", ignore=ignore)
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(REPO / name, into / name)


def test_installed_wheel_shows_japanese(tmp_path: Path) -> None:
    source = tmp_path / "source"
    _copy_source(source)
    assert not list(source.rglob("*.mo"))
    subprocess.run(
        [
            *PIP,
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = (tmp_path / "dist").glob("ssmark-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ssmark/accounts/locale/ja/LC_MESSAGES/django.mo" in names
    assert sum(n.endswith(".mo") for n in names) == sum(n.endswith(".po") for n in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*PIP, "--python", str(python), "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
    )
    # The dependencies come from this venv's site-packages (a plain path: its editable .pth
    # pointing at the checkout is not processed, so only the installed wheel provides ssmark).
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SSMARK_", "DATABASE_URL", "PYTHON", "DJANGO_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "ssmark.settings",
        "SSMARK_VAR_DIR": str(tmp_path / "var"),
        "SSMARK_ALLOWED_HOSTS": "testserver",
    }
    subprocess.run(
        [str(venv / "bin" / "ssmark"), "migrate", "-v", "0", "--skip-checks"],
        check=True,
        env=env,
        cwd=tmp_path,
    )
    out = subprocess.run(
        [str(python), "-c", PAGE], check=True, capture_output=True, text=True, env=env, cwd=tmp_path
    ).stdout
    assert f"PACKAGE {site}/ssmark/__init__.py" in out
    assert '<html lang="ja">' in out
    assert "運営：インターネット接続サービス安全・安心マーク推進協議会" in out
    assert "Run by the Safe/Secure Mark Promotion Council" not in out
