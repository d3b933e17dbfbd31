"""Build step: compile every message catalog (.po → .mo) into the built package, so an installed
wheel shows Japanese without GNU gettext or a compile step on the server. The rest of the
configuration is in pyproject.toml (an editable checkout compiles with `ssmark i18n_compile`,
which `make setup` runs)."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        import polib

        for po_path in sorted(Path(self.build_lib).rglob("*.po")):
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


setup(cmdclass={"build_py": BuildPyWithCatalogs})
