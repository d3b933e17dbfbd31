"""CVSS vectors as scanners write them; which version decides."""

from __future__ import annotations

import pytest

from ssmark.scans import Finding, Score
from ssmark.scans.scores import (
    best_of,
    merge_scores,
    parse_number,
    score_from_vector,
    split_score_and_vector,
)


@pytest.mark.parametrize(
    ("raw", "version", "base"),
    [
        ("CVSS2#AV:N/AC:L/Au:N/C:P/I:N/A:N", "2.0", 5.0),  # Nessus
        ("(AV:N/AC:L/Au:N/C:P/I:N/A:N)", "2.0", 5.0),  # Nexpose
        ("AV:N/AC:L/Au:N/C:C/I:C/A:C", "2.0", 10.0),  # OpenVAS tags, Tenable.sc
        ("CVSS2#AV:N/AC:L/Au:N/C:P/I:N/A:N/E:U/RL:OF/RC:C", "2.0", 5.0),  # with temporal
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "3.0", 7.5),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.1", 9.8),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "3.0", 7.5),  # Tenable.io: no prefix
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "4.0", 9.3),
        ("  CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H  ", "3.1", 8.1),
        # v4 threat metrics (E:U) would lower the score: the base score ignores them.
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", "4.0", 9.3),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", "3.1", 9.8),
    ],
)
def test_vectors(raw: str, version: str, base: float) -> None:
    score = score_from_vector(raw)
    assert score is not None
    assert (score.version, score.base, score.source) == (version, base, "vector")


@pytest.mark.parametrize(
    "raw", ["", "-", "N/A", "AV:X/AC:L", "CVSS:3.1/AV:N", "garbage", "CVSS:9.9/AV:N/AC:L"]
)
def test_invalid_vectors_give_nothing(raw: str) -> None:
    assert score_from_vector(raw) is None


def test_bare_v3_vector_reads_as_the_scanner_documents() -> None:
    score = score_from_vector("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "3.1")
    assert score is not None and score.version == "3.1"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("7.5", 7.5),
        ("7,5", 7.5),
        ("10", 10.0),
        ("75", 7.5),
        ("100", 10.0),
        ("0", 0.0),
        ("", None),
        ("-", None),
        ("N/A", None),
        ("101", None),
        ("-1", None),
        ("nan", None),
        ("12.5", None),
        ("inf", None),
    ],
)
def test_score_numbers(raw: str, value: float | None) -> None:
    assert parse_number(raw) == value


def test_score_without_vector_is_marked() -> None:
    score = best_of(None, "7.8", "2.0")
    assert score == Score("2.0", 7.8, None, "score")


def test_valid_vector_beats_stated_score() -> None:
    score = best_of("CVSS2#AV:N/AC:L/Au:N/C:P/I:N/A:N", "9.9", "2.0")
    assert score is not None and (score.base, score.source) == (5.0, "vector")


def test_broken_vector_falls_back_to_stated_score() -> None:
    score = best_of("CVSS2#AV:N/BROKEN", "6.4", "2.0")
    assert score == Score("2.0", 6.4, None, "score")


def test_qualys_score_with_vector() -> None:
    assert split_score_and_vector("7.4 (AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N)") == (
        "7.4",
        "AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
    )
    assert split_score_and_vector("4.3") == ("4.3", None)


def _finding(*scores: Score) -> Finding:
    return Finding("h", "1/tcp", "c", "t", (), merge_scores(scores))


V2 = Score("2.0", 5.0, "AV:N/AC:L/Au:N/C:P/I:N/A:N", "vector")
V30 = Score("3.0", 7.5, "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "vector")
V31 = Score("3.1", 7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "vector")
V3X = Score("3.x", 8.8, None, "score")
V4 = Score("4.0", 9.3, "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "vector")
ANY = Score(None, 9.0, None, "score")


@pytest.mark.parametrize(
    ("scores", "decides"),
    [
        ((V4, V30, V2, ANY), V2),
        ((V4, V30, ANY), V30),
        ((V4, V30, V31), V31),
        ((V4, V3X), V3X),
        ((V4, ANY), V4),
        ((ANY,), ANY),
    ],
)
def test_decision_order_v2_then_v3_then_v4(scores: tuple[Score, ...], decides: Score) -> None:
    assert _finding(*scores).decisive == decides


def test_no_cvss_is_informational() -> None:
    finding = _finding()
    assert finding.decisive is None and finding.base is None
    assert finding.to_dict()["cvss"] is None


def test_merge_prefers_vector_over_score_of_same_version() -> None:
    merged = merge_scores((Score("2.0", 5.0, None, "score"),), (V2,))
    assert merged == (V2,)
