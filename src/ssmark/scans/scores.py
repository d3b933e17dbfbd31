"""CVSS vectors and scores as scanners write them, turned into `Score` objects.

Base scores are computed from the vector with the `cvss` library; the scanner's own
severity label is never used. Prefixes that the library rejects are stripped first:
Nessus writes `CVSS2#AV:N/...`, Nexpose `(AV:N/...)`, Qualys and Tenable.io give v3
vectors without the `CVSS:3.x/` prefix the library needs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

from .model import Score, by_rank

_V2_PREFIX = re.compile(r"^(?:CVSS2#|CVSS:2\.0/|CVSSv2[#/:]?|\(?v2[:/])", re.IGNORECASE)
# CVSS v4 has one score whose meaning depends on the metrics present; the base score
# (CVSS-B) uses only these, so threat/environmental/supplemental metrics are dropped.
_V4_BASE = ("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA")
_SCORE_WITH_VECTOR = re.compile(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*\(([^()]*)\)\s*$")


def _clean(raw: str) -> str:
    text = raw.strip().strip('"').strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return _V2_PREFIX.sub("", text)


@lru_cache(maxsize=65536)
def score_from_vector(raw: str, v3_default: str = "3.0") -> Score | None:
    """The base score of a vector, or None when the text is not a valid CVSS vector.

    A v3 vector without its `CVSS:3.x/` prefix is read as `v3_default` (the version the
    scanner documents for its data); the base formulas of 3.0 and 3.1 differ only in
    rounding.
    """
    text = _clean(raw)
    if not text:
        return None
    upper = text.upper()
    try:
        if upper.startswith("CVSS:4.0/"):
            v4 = CVSS4(_v4_base(text[9:]))
            return Score("4.0", _num(v4.base_score), v4.clean_vector(), "vector")
        if upper.startswith(("CVSS:3.0/", "CVSS:3.1/")):
            v3 = CVSS3(text)
            return Score(text[5:8], _num(v3.base_score), v3.clean_vector(), "vector")
        metrics = {part.split(":", 1)[0].upper() for part in text.split("/") if ":" in part}
        if "AU" in metrics:
            v2 = CVSS2(text)
            return Score("2.0", _num(v2.base_score), v2.clean_vector(), "vector")
        if {"AT", "VC"} <= metrics:
            v4 = CVSS4(_v4_base(text))
            return Score("4.0", _num(v4.base_score), v4.clean_vector(), "vector")
        if {"PR", "S"} <= metrics:
            v3 = CVSS3(f"CVSS:{v3_default}/" + text)
            return Score(v3_default, _num(v3.base_score), v3.clean_vector(), "vector")
    except (CVSSError, ValueError, KeyError, ArithmeticError):
        return None
    return None


def _v4_base(metrics: str) -> str:
    parts = dict(p.split(":", 1) for p in metrics.split("/") if ":" in p)
    return "CVSS:4.0/" + "/".join(f"{k}:{parts[k]}" for k in _V4_BASE if k in parts)


def _num(value: object) -> float:
    return round(float(str(value)), 1)


def parse_number(raw: str | None) -> float | None:
    """A CVSS score written by a scanner: "7.5", "7,5" (decimal comma) or "75" (tenths).

    Some Nessus CSV exports written under a decimal-comma locale lose the separator
    ("CVSS v2.0 Base Score" = 75 for 7.5); a whole number in 11..100 is read as tenths.
    Returns None for empty, "-", "N/A" and anything that is not a score in 0..10.
    """
    if raw is None:
        return None
    text = raw.strip().replace(",", ".")
    if not text or text in {"-", "N/A", "n/a", "null", "None", "NONE"}:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    if value > 10:
        if value <= 100 and value == int(value) and "." not in text:
            return round(value / 10, 1)
        return None
    return round(value, 1)


def score_only(raw: str | None, version: str | None) -> Score | None:
    """A score the report states without a vector (marked `source="score"`)."""
    value = parse_number(raw)
    return None if value is None else Score(version, value, None, "score")


def split_score_and_vector(raw: str | None) -> tuple[str | None, str | None]:
    """Qualys writes "7.4 (AV:N/AC:H/...)" when vectors are enabled: split it."""
    if raw is None:
        return None, None
    match = _SCORE_WITH_VECTOR.match(raw)
    if match:
        return match.group(1), match.group(2)
    return raw, None


def best_of(
    vector: str | None, score: str | None, version: str | None, v3_default: str = "3.0"
) -> Score | None:
    """The vector's computed score when the vector is valid, else the stated score."""
    if vector and vector.strip():
        computed = score_from_vector(vector.strip(), v3_default)
        if computed is not None:
            return computed
    return score_only(score, version)


def merge_scores(*groups: Iterable[Score | None]) -> tuple[Score, ...]:
    """Keep one score per CVSS version, preferring one computed from a vector."""
    chosen: dict[str | None, Score] = {}
    for group in groups:
        for score in group:
            if score is None:
                continue
            current = chosen.get(score.version)
            if current is None or (current.source == "score" and score.source == "vector"):
                chosen[score.version] = score
    return tuple(sorted(chosen.values(), key=by_rank))
