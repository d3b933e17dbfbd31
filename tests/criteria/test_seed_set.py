"""The shipped seed set (isp-2010) against SPEC.md's table and the seed's numbers."""

from __future__ import annotations

import datetime

import pytest

from ssmark.criteria import (
    DEFAULT_SET_ID,
    CriteriaSet,
    EvidenceKind,
    Kind,
    ReviewType,
    Scheme,
    get_set,
    load_builtin_sets,
    parse_set,
)

# SPEC.md "Items": code -> (new, renewal, evidence). M = mandatory, G = graded 0-5, int = points.
SPEC_TABLE = {
    "1-1-1": ("M", "M", "DOC"), "1-1-2": (5, "M", "AUDIT"), "1-1-3": (3, 3, "SIGNED"),
    "1-1-4": (3, 3, "SIGNED"), "1-2-1": (3, 3, "SIGNED"),
    "2-1-1": ("M", "M", "SCAN"), "2-1-2": ("M", "M", "SIGNED"), "2-1-3": ("M", "M", "SIGNED"),
    "2-2-1": (5, 5, "SIGNED"), "2-3-1": (5, 5, "DOC"), "2-3-2": (5, 5, "SIGNED"),
    "3-1-1": ("M", "M", "DOC"), "3-1-2": (3, 3, "SIGNED"), "3-1-3": (5, 5, "SIGNED"),
    "3-1-4": (5, 5, "SIGNED"), "3-1-5": (5, 5, "SIGNED"), "3-1-6": (5, 5, "DOC"),
    "3-1-7": (5, 5, "SIGNED"), "3-1-8": (3, 3, "SIGNED"), "3-2-1": ("M", "M", "DOC"),
    "3-3-1": ("M", "M", "DOC/WEB"), "3-3-2": (3, 3, "SIGNED"),
    "4-1-1": ("M", "M", "DOC"), "4-1-2": ("M", "M", "DOC/WEB"), "4-1-3": (5, 5, "WEB"),
    "4-2-1": (5, 5, "DOC/WEB"), "4-2-2": ("M", "M", "DOC/WEB"), "4-2-3": (5, 5, "DOC/WEB"),
    "4-3-1": (5, 5, "DOC/WEB"), "4-3-2": (3, 3, "DOC/WEB"), "4-4-1": ("M", "M", "SIGNED"),
    "5-1-1": ("M", "M", "DOC/WEB"), "5-1-2": (5, 5, "SIGNED"), "5-1-3": (5, 5, "SIGNED"),
    "5-1-4": (3, 3, "DOC/WEB"), "5-1-5": (3, 3, "SIGNED"), "5-2-1": (5, 5, "DOC/WEB"),
    "6-1-1": ("M", "M", "DOC/WEB"), "6-2-1": ("M", "M", "DOC/WEB"), "6-2-2": ("M", "M", "DOC/WEB"),
    "7-0-1": ("M", "M", "PIM-SIGNED"), "7-1-1": ("G", "G", "DOC"), "7-1-2": ("G", "G", "DOC"),
    "7-1-3": ("G", "G", "DOC"), "7-2-1": ("M", "M", "PIM-SIGNED"), "7-2-2": ("M", "M", "DOC"),
    "7-3": ("M", "M", "PIM-SIGNED-BY"), "7-4-1": ("M", "M", "WEB"), "7-5-1": ("M", "M", "DOC"),
    "7-5-2": ("M", "M", "DOC+WEB"), "7-6-1": ("M", "M", "DOC"), "7-6-2": ("M", "M", "DOC"),
    "7-6-3": ("M", "M", "DOC"),
}  # fmt: skip


@pytest.fixture(scope="module")
def seed() -> CriteriaSet:
    return get_set("isp-2010")


def test_the_seed_set_is_the_default_and_shipped(seed: CriteriaSet) -> None:
    assert seed.id == DEFAULT_SET_ID
    assert seed in load_builtin_sets()
    assert seed.scheme is Scheme.ISP
    assert seed.applies_from == datetime.date(2010, 3, 1)
    assert seed.title.ja and seed.title.en


@pytest.mark.parametrize(
    ("review", "mandatory", "available", "threshold"),
    [(ReviewType.NEW, 25, 122, 91), (ReviewType.RENEWAL, 26, 117, 91)],
)
def test_reproduces_the_seed_numbers(
    seed: CriteriaSet, review: ReviewType, mandatory: int, available: int, threshold: int
) -> None:
    assert seed.mandatory_count(review) == mandatory
    assert seed.points_available(review) == available
    rule = seed.rule(review)
    assert (rule.mandatory_count, rule.points_available, rule.threshold) == (
        mandatory,
        available,
        threshold,
    )


def test_every_category_one_to_seven(seed: CriteriaSet) -> None:
    assert [c.code for c in seed.categories] == ["1", "2", "3", "4", "5", "6", "7"]
    assert seed.categories[6].title.ja == "個人情報保護に関する取組み"
    for category in seed.categories:
        assert category.title.ja and category.title.en and category.items


def test_item_codes_match_the_spec_list_exactly(seed: CriteriaSet) -> None:
    assert list(seed.item_codes()) == list(SPEC_TABLE)
    assert "7-3" in seed.item_codes()  # the seed gives this item no third number


@pytest.mark.parametrize("code", list(SPEC_TABLE))
def test_item_kinds_and_evidence_match_the_spec(seed: CriteriaSet, code: str) -> None:
    item = seed.item(code)
    new, renewal, evidence = SPEC_TABLE[code]
    for review, expected in ((ReviewType.NEW, new), (ReviewType.RENEWAL, renewal)):
        scoring = item.scoring_for(review)
        if expected == "M":
            assert scoring.kind is Kind.MANDATORY
        elif expected == "G":
            assert scoring.kind is Kind.GRADED
            assert (scoring.grade_min, scoring.grade_max, scoring.zero_fails) == (0, 5, True)
        else:
            assert (scoring.kind, scoring.points) == (Kind.POINTS, expected)
    assert item.evidence == (EvidenceKind(evidence),)
    assert item.category == code.split("-")[0]
    assert item.text.ja and item.text.en
    assert item.text.ja != item.text.en


def test_1_1_2_is_five_points_new_and_mandatory_on_renewal(seed: CriteriaSet) -> None:
    item = seed.item("1-1-2")
    assert item.kind_for("new") is Kind.POINTS and item.points_for("new") == 5
    assert item.kind_for("renewal") is Kind.MANDATORY and item.points_for("renewal") == 0


def test_japanese_texts_are_the_seeds(seed: CriteriaSet) -> None:
    assert (
        seed.item("2-1-2").text.ja
        == "施設への立ち入りは、適切な権限を持つものに限定されていることの確認"
    )
    assert seed.item("1-1-1").text.ja.splitlines()[1:] == [
        "・セキュリティーポリシーの基本方針並びに適用範囲",
        "・組織と体制",
        "・重要情報と保護対策（情報機器廃棄時の対策を含む）",
        "・評価と見直し",
        "・法令遵守,違反に対する対応",
        "・運用と教育",
    ]
    assert "「年１回以上」" in seed.item("7-3").text.ja


def test_audit_items_of_1_1_2(seed: CriteriaSet) -> None:
    audit = seed.audit
    assert audit is not None and audit.item == "1-1-2" and audit.period_months == 12
    titles = [g.title.en for g in audit.groups]
    assert len(titles) == 7
    assert titles[1] == "Organisation and structure" and "outsourcing" in titles[6]
    assert [len(g.entries) for g in audit.groups] == [4, 2, 6, 1, 1, 1, 1]
    entries = [e for g in audit.groups for e in g.entries]
    assert len({e.code for e in entries}) == len(entries)
    assert all(e.text.ja and e.text.en for e in entries)


def test_diagnosis_of_2_1_1(seed: CriteriaSet) -> None:
    diagnosis = seed.diagnosis
    assert diagnosis is not None and diagnosis.item == "2-1-1" and diagnosis.max_age_months == 3
    assert len(diagnosis.focus) == 9
    assert diagnosis.focus[0].text.ja.startswith("DNSシステムソフト")
    assert len(diagnosis.conditions) == 4
    cvss = diagnosis.cvss
    assert cvss is not None
    assert (cvss.version, cvss.fail_at, cvss.statement_at) == ("2", 7.0, 4.0)
    assert cvss.transition_from == datetime.date(2010, 3, 1)
    assert cvss.transition_until == datetime.date(2011, 3, 1)


def test_the_canonical_definition_round_trips(seed: CriteriaSet) -> None:
    import json

    definition = json.loads(json.dumps(seed.to_dict()))  # as stored in a JSONField
    assert parse_set(definition, "stored") == seed
