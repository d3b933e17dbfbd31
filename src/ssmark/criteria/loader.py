"""Finding and loading criteria-set files.

Sets ship as YAML files in `ssmark/criteria/sets/`. More directories can be added with the
environment variable SSMARK_CRITERIA_DIRS (paths separated by os.pathsep), so a new set (the
public wireless LAN version, a revision) needs only a new file, no code change.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ssmark.criteria.errors import CriteriaError
from ssmark.criteria.model import CriteriaSet, Scheme
from ssmark.criteria.schema import parse_set
from ssmark.criteria.yamlio import YamlError, read_yaml

BUILTIN_DIR = Path(__file__).resolve().parent / "sets"
DIRS_ENV_VAR = "SSMARK_CRITERIA_DIRS"
# The seed's ISP-version set: the default when an answers file names no set.
DEFAULT_SET_ID = "isp-2010"


class UnknownSetError(LookupError):
    def __init__(self, set_id: str, known: Iterable[str]) -> None:
        self.set_id = set_id
        super().__init__(f"unknown criteria set {set_id!r} (known: {', '.join(sorted(known))})")

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class LoadedSet:
    """A set together with the file it came from and that file's SHA-256."""

    criteria: CriteriaSet
    path: Path
    sha256: str


def set_directories(extra: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    """The built-in directory, then SSMARK_CRITERIA_DIRS, then `extra`, without repeats."""
    from_env = [p for p in os.environ.get(DIRS_ENV_VAR, "").split(os.pathsep) if p.strip()]
    result: list[Path] = []
    for entry in (BUILTIN_DIR, *from_env, *extra):
        path = Path(entry).expanduser().resolve()
        if path not in result:
            result.append(path)
    return tuple(result)


def set_files(directories: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for directory in directories:
        if not directory.is_dir():
            raise CriteriaError(str(directory), "", "criteria directory not found")
        files.extend(sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]))
    return files


def load_set(path: str | Path) -> CriteriaSet:
    """Load and validate one file; raises `CriteriaError` naming the file."""
    return load_set_file(path).criteria


def load_set_file(path: str | Path) -> LoadedSet:
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError:
        raise CriteriaError(str(path), "", "file not found") from None
    # Keyed by modification time and size, so an edited file is read again.
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, _mtime_ns: int, _size: int) -> LoadedSet:
    try:
        data, raw = read_yaml(Path(path))
    except YamlError as exc:
        raise CriteriaError(path, "", str(exc)) from None
    return LoadedSet(parse_set(data, path), Path(path), hashlib.sha256(raw).hexdigest())


def discover(extra_dirs: Iterable[str | Path] = ()) -> tuple[LoadedSet, ...]:
    """Every set in every directory; two files with the same set id are an error."""
    loaded: dict[str, LoadedSet] = {}
    for path in set_files(set_directories(extra_dirs)):
        entry = load_set_file(path)
        first = loaded.get(entry.criteria.id)
        if first is not None:
            raise CriteriaError(
                str(path), "id", f"set {entry.criteria.id} is already defined in {first.path}"
            )
        loaded[entry.criteria.id] = entry
    return tuple(loaded.values())


def load_builtin_sets() -> tuple[CriteriaSet, ...]:
    """The sets shipped inside the package, in file-name order."""
    return tuple(load_set(path) for path in set_files([BUILTIN_DIR]))


def load_all_sets(extra_dirs: Iterable[str | Path] = ()) -> tuple[CriteriaSet, ...]:
    """Shipped sets plus those in SSMARK_CRITERIA_DIRS and `extra_dirs`."""
    return tuple(entry.criteria for entry in discover(extra_dirs))


def get_set(set_id: str, extra_dirs: Iterable[str | Path] = ()) -> CriteriaSet:
    sets = {cs.id: cs for cs in load_all_sets(extra_dirs)}
    if set_id not in sets:
        raise UnknownSetError(set_id, sets)
    return sets[set_id]


def default_set() -> CriteriaSet:
    return get_set(DEFAULT_SET_ID)


def set_in_force(
    sets: Iterable[CriteriaSet], scheme: Scheme | str, on_date: datetime.date
) -> CriteriaSet | None:
    """The set of `scheme` with the latest `applies_from` on or before `on_date`, if any."""
    candidates = [cs for cs in sets if cs.scheme == scheme and cs.applies_from <= on_date]
    return max(candidates, key=lambda cs: (cs.applies_from, cs.id), default=None)
