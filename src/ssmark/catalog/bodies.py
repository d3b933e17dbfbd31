"""Who runs the scheme (seed 002): the Promotion Council (its four member associations, chair,
vice-chair, secretariat and the Ministry's observers) and the Review Committee (its standing
chair, members and secretariat), read from scheme_bodies.yaml for the "about the scheme" page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ssmark.core.datafiles import load_yaml

BODIES_FILE = Path(__file__).with_name("scheme_bodies.yaml")


class BodiesError(ValueError):
    """scheme_bodies.yaml is malformed; the message names the key."""


def _check(data: Any) -> dict[str, Any]:
    for body in ("council", "committee"):
        if not isinstance(data, dict) or not isinstance(data.get(body), dict):
            raise BodiesError(f"`{body}` is required")
        for key in ("name", "name_en", "members", "secretariat"):
            if key not in data[body]:
                raise BodiesError(f"{body}.{key} is required")
    if "chair" not in data["committee"]:
        raise BodiesError("committee.chair is required")
    return data


def bodies(path: Path = BODIES_FILE) -> dict[str, Any]:
    """scheme_bodies.yaml, read by the one data-file loader (re-read when the file changes)."""
    return load_yaml(path, _check, error=BodiesError)


def localized(lang: str, path: Path = BODIES_FILE) -> dict[str, Any]:
    """The file with each `x` / `x_en` pair reduced to `x` in `lang` (English or Japanese)."""
    english = lang.lower().startswith("en")

    def pick(value: Any) -> Any:
        if isinstance(value, list):
            return [pick(v) for v in value]
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if key.endswith("_en"):
                continue
            en = value.get(f"{key}_en")
            out[key] = pick(en if english and en else item)
        return out

    return pick(bodies(path))
