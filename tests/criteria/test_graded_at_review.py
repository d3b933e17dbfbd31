"""Items graded by the reviewer (the seed's 7-1-1..7-1-3, 「基準は非公表」) are marked in the set's
data, not by item codes: the applicant's view leaves them to the review."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssmark.criteria import CriteriaError, assess, get_set, load_set, parse_set
from tests.criteria.sets import tiny, write_set


def test_seed_marks_7_1_items_as_graded_at_review() -> None:
    seed = get_set("isp-2010")
    assert [i.code for i in seed.items if i.graded_at_review] == ["7-1-1", "7-1-2", "7-1-3"]


def test_flag_comes_from_the_data_not_the_code(tmp_path: Path) -> None:
    data = tiny()
    data["categories"][0]["groups"][1]["items"][0]["graded_at_review"] = True
    cs = load_set(write_set(tmp_path, data))
    assert [i.code for i in cs.items if i.graded_at_review] == ["1-2"]
    # The stored definition keeps the flag (the database re-reads it).
    assert parse_set(cs.to_dict(), "stored") == cs
    assert cs.to_dict()["categories"][0]["groups"][1]["items"][0]["graded_at_review"] is True


def test_flag_refused_on_an_item_that_is_not_graded(tmp_path: Path) -> None:
    data = tiny()
    data["categories"][0]["groups"][0]["items"][0]["graded_at_review"] = True
    with pytest.raises(CriteriaError) as exc:
        load_set(write_set(tmp_path, data))
    assert "item 1-1-1" in str(exc.value) and "only for graded items" in str(exc.value)


def _all_met_except_graded() -> dict[str, str | int]:
    seed = get_set("isp-2010")
    return {i.code: "met" for i in seed.items if not i.is_graded}


def test_before_review_ignores_applicant_grades_and_does_not_fail_on_them() -> None:
    seed = get_set("isp-2010")
    answers = {**_all_met_except_graded(), "7-1-1": 0}
    # The reviewer's view: a 0 on 7-1-1 fails, unanswered 7-1-2/3 fail.
    reviewer = assess(seed, "new", answers)
    assert not reviewer.passed and "7-1-1" in reviewer.graded_zero
    # The applicant's view: those three are graded at review, whatever was entered.
    applicant = assess(seed, "new", answers, before_review=True)
    assert applicant.passed
    assert applicant.at_review == ("7-1-1", "7-1-2", "7-1-3")
    assert applicant.points_pending == 15
    assert applicant.graded_zero == ()
    assert any("審査で評点されます" in r for r in applicant.reasons("ja"))
    assert any("graded at review" in r for r in applicant.reasons("en"))


def test_before_review_points_short_only_when_review_grades_cannot_reach() -> None:
    seed = get_set("isp-2010")
    answers = _all_met_except_graded()
    # 107 fixed points met: enough without the graded items.
    assert assess(seed, "new", answers, before_review=True).passed
    # Leave 20 fixed points unmet: 87 earned; 87 + 15 pending can still reach 91.
    for code in ("2-2-1", "2-3-1", "2-3-2", "3-1-3"):
        answers[code] = "unmet"
    pending = assess(seed, "new", answers, before_review=True)
    assert pending.passed and pending.points_earned == 87
    assert any("あと4点" in r for r in pending.reasons("ja"))
    # 72 earned: 72 + 15 < 91 fails even with full grades.
    for code in ("3-1-4", "3-1-5", "3-1-6"):
        answers[code] = "unmet"
    assert not assess(seed, "new", answers, before_review=True).passed
