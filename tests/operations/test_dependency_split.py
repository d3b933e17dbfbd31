"""The runtime lock carries no development tools; every direct dependency is pinned in the
right lock, and no package is pinned in both."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOLS = {"pytest", "pytest-django", "ruff", "mypy", "django-stubs", "playwright", "hypothesis"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (REPO / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            package, _, version = line.partition("==")
            assert version, f"{name}: {line!r} is not pinned with =="
            pins[_norm(package)] = version
    return pins


def _names(requirements: list[str]) -> set[str]:
    return {_norm(re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0]) for r in requirements}


def test_runtime_and_development_locks_are_split() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert not set(runtime) & set(dev), "pinned in both locks"
    assert not {_norm(t) for t in TOOLS} & set(runtime), "a development tool in the runtime lock"
    assert _names(project["dependencies"]) <= set(runtime)
    assert _names(project["optional-dependencies"]["dev"]) <= set(dev)
    assert "pip-audit" in dev


def test_the_runtime_lock_is_closed_under_its_own_requirements() -> None:
    """Every requirement of a runtime-pinned package (as installed) is pinned in the runtime
    lock too: `pip install -r requirements.lock` must not pull an unpinned (and unaudited)
    package, e.g. granian's click."""
    from importlib import metadata

    from packaging.requirements import Requirement

    runtime = _pins("requirements.lock")
    unpinned = set()
    for name in runtime:
        for text in metadata.distribution(name).requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            if _norm(requirement.name) not in runtime:
                unpinned.add(f"{name} needs {requirement.name}")
    assert not unpinned, sorted(unpinned)
