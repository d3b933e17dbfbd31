"""The rule engine on the seed set: thresholds, mandatory items, graded zeros, unanswered."""

from __future__ import annotations

import pytest

from ssmark.criteria import (
    AnswerError,
    CriteriaSet,
    Kind,
    ReviewType,
    Verdict,
    assess,
    get_set,
)

Answers = dict[str, str | bool | int]


@pytest.fixture(scope="module")
def seed() -> CriteriaSet:
    return get_set("isp-2010")


def perfect(cs: CriteriaSet, review: str) -> Answers:
    """Every item met, every graded item at its maximum."""
    answers: Answers = {}
    for item in cs.items:
        scoring = item.scoring_for(review)
        answers[item.code] = scoring.grade_max if scoring.kind is Kind.GRADED else "met"
    return answers


# Fixed-point items to mark unmet to land exactly on 91: 122 - 31 (new), 117 - 26 (renewal).
AT_THRESHOLD = {
    "new": ("2-2-1", "2-3-1", "3-1-3", "3-1-4", "3-1-5", "3-1-2", "3-3-2"),  # 5*5 + 3*2 = 31
    "renewal": ("2-2-1", "2-3-1", "3-1-3", "3-1-4", "3-1-2", "3-3-2"),  # 5*4 + 3*2 = 26
}


def at_threshold(cs: CriteriaSet, review: str) -> Answers:
    answers = perfect(cs, review)
    for code in AT_THRESHOLD[review]:
        answers[code] = "unmet"
    return answers


@pytest.mark.parametrize("review", ["new", "renewal"])
def test_perfect_answers_pass(seed: CriteriaSet, review: str) -> None:
    verdict = assess(seed, review, perfect(seed, review))
    assert verdict.passed
    assert verdict.points_earned == verdict.points_available == seed.points_available(review)
    assert verdict.mandatory_met == verdict.mandatory_total
    assert verdict.mandatory_unmet == verdict.graded_zero == verdict.unanswered == ()


@pytest.mark.parametrize(("review", "available"), [("new", 122), ("renewal", 117)])
def test_exactly_at_the_threshold_passes(seed: CriteriaSet, review: str, available: int) -> None:
    assert sum(seed.item(c).points_for(review) for c in AT_THRESHOLD[review]) == available - 91
    verdict = assess(seed, review, at_threshold(seed, review))
    assert verdict.points_earned == 91
    assert verdict.passed
    assert verdict.points_shortfall == 0


@pytest.mark.parametrize("review", ["new", "renewal"])
def test_one_point_short_fails(seed: CriteriaSet, review: str) -> None:
    answers = at_threshold(seed, review)
    answers["7-1-3"] = 4  # one grade point less
    verdict = assess(seed, review, answers)
    assert verdict.points_earned == 90
    assert not verdict.passed
    assert verdict.points_shortfall == 1
    assert verdict.mandatory_unmet == ()
    assert any("あと1点" in reason for reason in verdict.reasons("ja"))
    assert any("1 short of the threshold of 91" in reason for reason in verdict.reasons("en"))


@pytest.mark.parametrize("review", ["new", "renewal"])
def test_a_graded_zero_fails_even_with_everything_else_perfect(
    seed: CriteriaSet, review: str
) -> None:
    answers = perfect(seed, review)
    answers["7-1-2"] = 0
    verdict = assess(seed, review, answers)
    assert verdict.points_earned == seed.points_available(review) - 5  # far above 91
    assert not verdict.passed
    assert verdict.graded_zero == ("7-1-2",)
    assert "Item 7-1-2 is graded 0, and a 0 fails the application" in verdict.reasons("en")


def test_1_1_2_unmet_on_renewal_fails_as_mandatory(seed: CriteriaSet) -> None:
    answers = perfect(seed, "renewal")
    answers["1-1-2"] = "unmet"
    verdict = assess(seed, "renewal", answers)
    assert not verdict.passed
    assert verdict.mandatory_unmet == ("1-1-2",)
    assert verdict.mandatory_met == 25 and verdict.mandatory_total == 26
    assert verdict.points_earned == 117  # mandatory items carry no points
    assert "Mandatory item 1-1-2 is not met" in verdict.reasons("en")


def test_1_1_2_unmet_on_new_costs_five_points(seed: CriteriaSet) -> None:
    answers = perfect(seed, "new")
    answers["1-1-2"] = "unmet"
    verdict = assess(seed, "new", answers)
    assert verdict.passed
    assert verdict.points_earned == 117
    assert verdict.mandatory_unmet == ()


def test_unanswered_items_are_listed_and_not_met(seed: CriteriaSet) -> None:
    answers = perfect(seed, "new")
    for code in ("2-1-1", "3-1-3", "7-1-1"):
        del answers[code]
    verdict = assess(seed, "new", answers)
    assert verdict.unanswered == ("2-1-1", "3-1-3", "7-1-1")
    assert verdict.mandatory_unmet == ("2-1-1",)  # unmet includes unanswered mandatory items
    assert verdict.points_earned == 122 - 5 - 5
    assert verdict.graded_zero == ()  # not scored 0: unanswered
    assert not verdict.passed
    reasons = verdict.reasons("en")
    assert "Mandatory item 2-1-1 is unanswered (counted as not met)" in reasons
    assert "Item 3-1-3 is unanswered (no points)" in reasons
    assert any(r.startswith("Item 7-1-1 has no grade") for r in reasons)


def test_an_unanswered_zero_fails_grade_alone_fails(seed: CriteriaSet) -> None:
    answers = perfect(seed, "new")
    del answers["7-1-1"]
    verdict = assess(seed, "new", answers)
    assert verdict.points_earned == 117 and verdict.mandatory_unmet == ()
    assert not verdict.passed


def test_booleans_are_met_and_unmet(seed: CriteriaSet) -> None:
    as_strings = perfect(seed, "new")
    as_bools: Answers = {
        k: (v == "met" if isinstance(v, str) else v) for k, v in as_strings.items()
    }
    as_bools["3-1-4"] = False
    as_strings["3-1-4"] = "unmet"
    assert assess(seed, "new", as_bools) == assess(seed, "new", as_strings)


def test_same_answers_same_verdict(seed: CriteriaSet) -> None:
    answers = perfect(seed, "renewal")
    answers.update({"2-1-3": "unmet", "7-1-2": 0, "4-1-3": "unmet"})
    del answers["5-1-5"]
    shuffled = dict(reversed(list(answers.items())))
    first = assess(seed, "renewal", answers)
    assert first == assess(seed, "renewal", shuffled) == assess(seed, ReviewType.RENEWAL, answers)
    assert first.to_dict() == assess(seed, "renewal", shuffled).to_dict()
    assert hash(first) == hash(assess(seed, "renewal", answers))


def test_verdict_lists_are_in_catalog_order(seed: CriteriaSet) -> None:
    answers = perfect(seed, "new")
    answers.update({"7-6-3": "unmet", "1-1-1": "unmet", "4-1-1": "unmet"})
    verdict = assess(seed, "new", answers)
    assert verdict.mandatory_unmet == ("1-1-1", "4-1-1", "7-6-3")


def test_to_dict_has_the_issue_shape(seed: CriteriaSet) -> None:
    answers = perfect(seed, "new")
    del answers["2-1-1"]
    data = assess(seed, "new", answers).to_dict()
    assert list(data) == [
        "criteria", "review", "passed", "mandatory", "points", "graded_zero", "unanswered", "reasons",
    ]  # fmt: skip
    assert data["criteria"] == "isp-2010" and data["review"] == "new" and data["passed"] is False
    assert data["mandatory"] == {"total": 25, "met": 24, "unmet": ["2-1-1"]}
    assert data["points"] == {"earned": 122, "available": 122, "threshold": 91}
    assert data["graded_zero"] == [] and data["unanswered"] == ["2-1-1"]
    assert all(isinstance(r, str) for r in data["reasons"])


def test_reasons_in_both_languages(seed: CriteriaSet) -> None:
    verdict: Verdict = assess(seed, "new", perfect(seed, "new"))
    assert verdict.reasons("ja")[0].startswith("合格")
    assert verdict.reasons("en")[0].startswith("Passed")
    assert verdict.reasons() == verdict.reasons("ja")
    assert [r.code for r in verdict.reason_list] == ["passed", "points_ok"]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"9-9-9": "met"}, "unknown item code '9-9-9'"),
        ({"1-1-1": 3}, "item 1-1-1: expected met or unmet, got 3"),
        ({"1-1-1": "yes"}, "item 1-1-1: expected met or unmet, got 'yes'"),
        ({"7-1-1": "met"}, "item 7-1-1 is graded 0–5: expected an integer, got 'met'"),
        ({"7-1-1": True}, "expected an integer, got True"),
        ({"7-1-1": 6}, "item 7-1-1: grade 6 is outside 0–5"),
        ({"7-1-1": -1}, "grade -1 is outside 0–5"),
        ({"7-1-1": 2.5}, "expected an integer, got 2.5"),
    ],
)
def test_bad_answers_raise_a_clear_error(seed: CriteriaSet, answers: Answers, message: str) -> None:
    with pytest.raises(AnswerError, match=message):
        assess(seed, "new", answers)


def test_unknown_review_type(seed: CriteriaSet) -> None:
    with pytest.raises(
        AnswerError, match="unknown review type 'renew' \\(expected: new, renewal\\)"
    ):
        assess(seed, "renew", {})


def test_keyword_arguments(seed: CriteriaSet) -> None:
    verdict = assess(criteria_set=seed, review_type="renewal", answers=perfect(seed, "renewal"))
    assert verdict.passed and verdict.review is ReviewType.RENEWAL
