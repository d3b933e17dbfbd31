"""The one way to read a YAML data file (fee schedules, the licence scheme, the committee
calendar, the scheme's bodies): parse it with the caller's `parse`, and cache the result by
(path, modification time) — so an edited file, or a setting pointing at another file, is read
again on the next call, and an unchanged one is parsed once per process.

A malformed file raises the caller's error type with the path in the message."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")

# (parse, path, mtime_ns) -> parsed value; small: a handful of files, a few versions each.
_cache: dict[tuple[Callable[[Any], Any], str, int], Any] = {}
_lock = threading.Lock()
CACHE_LIMIT = 32
_MISSING = object()


def parse_yaml_text(text: str, *, source: str, error: type[Exception]) -> Any:
    """The YAML document in `text`; malformed YAML raises `error` naming `source`."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{source}: not valid YAML: {exc}") from exc


def load_yaml(path: Path | str, parse: Callable[[Any], T], *, error: type[Exception]) -> T:
    """`parse` applied to the YAML document at `path`, cached while the file is unchanged.
    `parse` raising `error` gets the path prefixed to its message."""
    # A hit costs one stat() of a string path: this runs on every request of the public hot
    # paths (the mark's cache lifetime comes from the licence scheme), so no Path objects here.
    name = os.fspath(path)
    key = (parse, name, os.stat(name).st_mtime_ns)
    cached = _cache.get(key, _MISSING)
    if cached is not _MISSING:
        return cached
    path = Path(name)
    data = parse_yaml_text(path.read_text(encoding="utf-8"), source=str(path), error=error)
    try:
        value = parse(data)
    except error as exc:
        message = str(exc)
        if str(path) in message:
            raise
        raise error(f"{path}: {message}") from exc
    with _lock:
        if len(_cache) >= CACHE_LIMIT:
            _cache.clear()
        _cache[key] = value
    return value
