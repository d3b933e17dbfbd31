"""The one data-file loader: parsed once while the file is unchanged, re-read when it changes,
errors name the file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ssmark.core.datafiles import load_yaml


class Bad(ValueError):
    pass


def _count_parses() -> tuple[list[object], Callable[[Any], object]]:
    seen: list[object] = []

    def parse(data: object) -> object:
        seen.append(data)
        if data == "bad":
            raise Bad("value is bad")
        return data

    return seen, parse


def test_parsed_once_while_unchanged_and_again_when_the_file_changes(tmp_path: Path) -> None:
    seen, parse = _count_parses()
    path = tmp_path / "data.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    assert load_yaml(path, parse, error=Bad) == {"a": 1}
    assert load_yaml(path, parse, error=Bad) == {"a": 1}
    assert len(seen) == 1
    path.write_text("a: 2\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_yaml(path, parse, error=Bad) == {"a": 2}
    assert len(seen) == 2


def test_errors_name_the_file(tmp_path: Path) -> None:
    _seen, parse = _count_parses()
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [1\n", encoding="utf-8")
    with pytest.raises(Bad, match=r"broken\.yaml: not valid YAML"):
        load_yaml(broken, parse, error=Bad)
    bad = tmp_path / "bad.yaml"
    bad.write_text("bad\n", encoding="utf-8")
    with pytest.raises(Bad, match=r"bad\.yaml: value is bad"):
        load_yaml(bad, parse, error=Bad)
