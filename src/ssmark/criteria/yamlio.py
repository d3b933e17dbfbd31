"""YAML reading for criteria sets and answer files: safe, strict, with one-line errors.

PyYAML's `safe_load` silently keeps the last of two equal keys; in an answers file that turns
`"1-1-1": met` followed by `"1-1-1": unmet` into a quiet "unmet". The loader here is
`SafeLoader` (same safety: plain data only) that rejects duplicate keys instead.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node


class YamlError(ValueError):
    """Unreadable or malformed YAML; the message is one line, without the file name."""


# libyaml's parser when PyYAML was built with it (the wheels are): the same safe constructor,
# a few times faster on the criteria set read by every `ssmark scan-check`.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictSafeLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Hashable, Any]:
        if isinstance(node, MappingNode):
            seen: set[object] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, Hashable) and key in seen:
                    raise ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _one_line(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        return f"malformed YAML: {where}{problem}"
    return "malformed YAML: " + " ".join(str(exc).split())


def parse_yaml(text: str) -> object:
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise YamlError(_one_line(exc)) from None


def read_yaml(path: Path) -> tuple[object, bytes]:
    """The parsed document and the raw bytes (for hashing)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlError("file not found") from None
    except IsADirectoryError:
        raise YamlError("is a directory, not a file") from None
    except OSError as exc:
        raise YamlError(f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise YamlError("not UTF-8 text") from None
    return parse_yaml(text), raw
