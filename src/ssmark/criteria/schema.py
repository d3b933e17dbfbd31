"""Build a `CriteriaSet` from a mapping (a parsed YAML file or a stored definition).

The schema, briefly (docs/criteria.md has the full description):

    id, title, title_en, scheme, applies_from
    rules:      {<review type>: {threshold, mandatory_count, points_available}}
    categories: [{code, title, title_en, description?, description_en?,
                  groups: [{code, title, title_en,
                            items: [{code, text, text_en, evidence, scoring,
                                     graded_at_review?}]}]}]
    notes?, audit?, diagnosis?

`scoring` is `mandatory`, `{points: N}`, `{graded: {min, max, zero_fails}}` for every review
type alike, or a mapping from review type to one of those.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ssmark.criteria.extras import parse_audit, parse_diagnosis
from ssmark.criteria.model import (
    GRADE_CEILING,
    GRADE_FLOOR,
    Category,
    CriteriaSet,
    EvidenceKind,
    Group,
    Item,
    Kind,
    PassRule,
    ReviewType,
    Scheme,
    Scoring,
    Text,
)
from ssmark.criteria.reader import Reader, describe

SET_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
CATEGORY_CODE = re.compile(r"^[0-9A-Za-z]+$")
ITEM_CODE = re.compile(r"^[0-9A-Za-z]+(-[0-9A-Za-z]+)+$")
SCORING_KEYS = {"points", "graded"}


def parse_set(data: object, source: str) -> CriteriaSet:
    """Validate `data` and build the set; raises `CriteriaError` naming `source`."""
    r = Reader(source)
    top = r.mapping(
        data,
        "",
        required=("id", "title", "title_en", "scheme", "applies_from", "rules", "categories"),
        optional=("notes", "audit", "diagnosis"),
    )
    set_id = r.string(top, "id", "")
    if not SET_ID.match(set_id):
        r.fail("id", f"{set_id!r} is not a valid set id (lower-case letters, digits, . _ -)")
    scheme = top["scheme"]
    if scheme not in set(Scheme):
        r.fail("scheme", f"unknown scheme {describe(scheme)} (expected: {', '.join(Scheme)})")
    rules = _rules(r, top["rules"])
    reviews = tuple(rule.review for rule in rules)
    categories = _categories(r, top["categories"], reviews)
    items = {item.code: item for category in categories for item in category.items}
    audit = parse_audit(r, top["audit"], items) if "audit" in top else None
    diagnosis = parse_diagnosis(r, top["diagnosis"], items) if "diagnosis" in top else None
    result = CriteriaSet(
        id=set_id,
        title=r.text(top, "title", ""),
        scheme=Scheme(str(scheme)),
        applies_from=r.date(top, "applies_from", ""),
        rules=rules,
        categories=categories,
        notes=_notes(r, top.get("notes", [])),
        audit=audit,
        diagnosis=diagnosis,
        source=source,
    )
    _check_declared_totals(r, result)
    return result


def _where(raw: object, kind: str, fallback: str) -> str:
    """Name a part by its code when it has one, even before the part is validated."""
    code = raw.get("code") if isinstance(raw, Mapping) else None
    if isinstance(code, str | int) and not isinstance(code, bool) and str(code).strip():
        return f"{kind} {str(code).strip()}"
    return fallback


def _rules(r: Reader, value: object) -> tuple[PassRule, ...]:
    if not isinstance(value, Mapping) or not value:
        r.fail("rules", "expected a mapping from review type (new, renewal) to its pass rule")
    rules = []
    for review, body in value.items():
        where = f"rules.{review}"
        if review not in set(ReviewType):
            r.fail(where, f"unknown review type {describe(review)} (expected: new, renewal)")
        rule = r.mapping(body, where, required=("threshold", "mandatory_count", "points_available"))
        rules.append(
            PassRule(
                review=ReviewType(review),
                threshold=r.integer(rule, "threshold", where, minimum=0),
                mandatory_count=r.integer(rule, "mandatory_count", where, minimum=0),
                points_available=r.integer(rule, "points_available", where, minimum=0),
            )
        )
    # Every scheme has both a first application and renewals, so a set must rule on both.
    missing = [str(review) for review in ReviewType if review not in value]
    if missing:
        r.fail("rules", f"missing review type {', '.join(missing)}")
    # Catalog order of review types is fixed (new first) whatever order the file uses.
    return tuple(sorted(rules, key=lambda rule: list(ReviewType).index(rule.review)))


def _categories(r: Reader, value: object, reviews: tuple[ReviewType, ...]) -> tuple[Category, ...]:
    categories: list[Category] = []
    seen_groups: set[str] = set()
    seen_items: set[str] = set()
    for index, raw in enumerate(r.sequence(value, "categories"), start=1):
        where = _where(raw, "category", f"category #{index}")
        data = r.mapping(
            raw,
            where,
            required=("code", "title", "title_en", "groups"),
            optional=("description", "description_en"),
        )
        code = r.code(data, "code", where)
        where = f"category {code}"
        if not CATEGORY_CODE.match(code):
            r.fail(where, f"invalid category code {code!r}")
        if any(c.code == code for c in categories):
            r.fail(where, f"duplicate category code {code}")
        groups = []
        for g_index, g_raw in enumerate(r.sequence(data["groups"], f"{where}: groups"), start=1):
            group = _group(r, g_raw, f"{where}: group #{g_index}", code, reviews, seen_items)
            if group.code in seen_groups:
                r.fail(f"group {group.code}", f"duplicate group code {group.code}")
            seen_groups.add(group.code)
            groups.append(group)
        categories.append(
            Category(
                code=code,
                title=r.text(data, "title", where),
                description=r.text(data, "description", where),
                groups=tuple(groups),
            )
        )
    return tuple(categories)


def _group(
    r: Reader,
    raw: object,
    where: str,
    category: str,
    reviews: tuple[ReviewType, ...],
    seen_items: set[str],
) -> Group:
    where = _where(raw, "group", where)
    data = r.mapping(raw, where, required=("code", "title", "title_en", "items"))
    code = r.code(data, "code", where)
    where = f"group {code}"
    if not ITEM_CODE.match(code) or not code.startswith(f"{category}-"):
        r.fail(where, f"group code {code!r} must look like {category}-N (category {category})")
    items = []
    for index, i_raw in enumerate(r.sequence(data["items"], f"{where}: items"), start=1):
        item = _item(r, i_raw, f"{where}: item #{index}", category, code, reviews)
        if item.code in seen_items:
            r.fail(f"item {item.code}", f"duplicate item code {item.code}")
        seen_items.add(item.code)
        items.append(item)
    return Group(code=code, title=r.text(data, "title", where), items=tuple(items))


def _item(
    r: Reader,
    raw: object,
    where: str,
    category: str,
    group: str,
    reviews: tuple[ReviewType, ...],
) -> Item:
    where = _where(raw, "item", where)
    data = r.mapping(
        raw,
        where,
        required=("code", "text", "text_en", "evidence", "scoring"),
        optional=("graded_at_review",),
    )
    code = r.code(data, "code", where)
    where = f"item {code}"
    # 7-3 in the seed is an item code equal to its group's code; all others extend it.
    if not ITEM_CODE.match(code) or not (code == group or code.startswith(f"{group}-")):
        r.fail(where, f"item code {code!r} does not belong to group {group}")
    scoring = _scoring(r, data["scoring"], where, reviews)
    at_review = False
    if "graded_at_review" in data:
        at_review = r.boolean(data, "graded_at_review", where)
        if at_review and not any(s.kind is Kind.GRADED for _, s in scoring):
            r.fail(where, "graded_at_review is only for graded items")
    return Item(
        code=code,
        category=category,
        group=group,
        text=Text(r.string(data, "text", where), r.string(data, "text_en", where)),
        evidence=_evidence(r, data["evidence"], where),
        scoring=scoring,
        graded_at_review=at_review,
    )


def _evidence(r: Reader, value: object, where: str) -> tuple[EvidenceKind, ...]:
    values = [value] if isinstance(value, str) else r.sequence(value, f"{where}: evidence")
    kinds: list[EvidenceKind] = []
    for kind in values:
        if kind not in set(EvidenceKind):
            known = ", ".join(EvidenceKind)
            r.fail(where, f"unknown evidence kind {describe(kind)} (known: {known})")
        if EvidenceKind(str(kind)) in kinds:
            r.fail(where, f"evidence kind {kind} given twice")
        kinds.append(EvidenceKind(str(kind)))
    return tuple(kinds)


def _scoring(
    r: Reader, value: object, where: str, reviews: tuple[ReviewType, ...]
) -> tuple[tuple[ReviewType, Scoring], ...]:
    # One spec for every review type, or a mapping review type -> spec.
    per_review = isinstance(value, Mapping) and any(key in set(ReviewType) for key in value)
    if not per_review:
        one = _one_scoring(r, value, where)
        return tuple((review, one) for review in reviews)
    assert isinstance(value, Mapping)
    for review in value:
        if review not in set(ReviewType):
            r.fail(where, f"unknown review type {describe(review)} in scoring (new, renewal)")
        if review not in reviews:
            r.fail(where, f"scoring for review type {review}, which the set's rules do not have")
    missing = [review for review in reviews if review not in value]
    if missing:
        r.fail(where, f"no scoring for review type {', '.join(missing)}")
    return tuple(
        (review, _one_scoring(r, value[review], f"{where} ({review})")) for review in reviews
    )


def _one_scoring(r: Reader, value: object, where: str) -> Scoring:
    if value == Kind.MANDATORY:
        return Scoring(Kind.MANDATORY)
    if not isinstance(value, Mapping) or len(value) != 1 or not set(value) <= SCORING_KEYS:
        r.fail(
            where,
            f"scoring must be 'mandatory', {{points: N}} or {{graded: {{min, max}}}}, "
            f"got {describe(value)}",
        )
    if "points" in value:
        points = value["points"]
        if not isinstance(points, int) or isinstance(points, bool) or points <= 0:
            r.fail(where, f"points must be a positive integer, got {describe(points)}")
        return Scoring(Kind.POINTS, points=points)
    graded = value["graded"]
    if not isinstance(graded, Mapping) or "min" not in graded or "max" not in graded:
        r.fail(where, "graded item without range (give graded: {min: 0, max: 5})")
    spec = r.mapping(graded, where, required=("min", "max"), optional=("zero_fails",))
    low = r.integer(spec, "min", where, minimum=-(10**9))
    high = r.integer(spec, "max", where, minimum=-(10**9))
    if not (GRADE_FLOOR <= low <= GRADE_CEILING and GRADE_FLOOR <= high <= GRADE_CEILING):
        r.fail(where, f"grade range {low}..{high} is outside {GRADE_FLOOR}..{GRADE_CEILING}")
    if low > high:
        r.fail(where, f"grade range {low}..{high}: min is greater than max")
    zero_fails = r.boolean(spec, "zero_fails", where) if "zero_fails" in spec else False
    return Scoring(Kind.GRADED, grade_min=low, grade_max=high, zero_fails=zero_fails)


def _notes(r: Reader, value: object) -> tuple[Text, ...]:
    notes = []
    for index, raw in enumerate(r.sequence(value, "notes", non_empty=False), start=1):
        where = f"note #{index}"
        data = r.mapping(raw, where, required=("text", "text_en"))
        notes.append(r.text(data, "text", where))
    return tuple(notes)


def _check_declared_totals(r: Reader, cs: CriteriaSet) -> None:
    """The file declares its counts; the items must add up to them (catches a typo in either)."""
    for rule in cs.rules:
        where = f"rules.{rule.review}"
        mandatory = cs.mandatory_count(rule.review)
        available = cs.points_available(rule.review)
        if mandatory != rule.mandatory_count:
            r.fail(
                where,
                f"declares mandatory_count {rule.mandatory_count} "
                f"but the items have {mandatory} mandatory items",
            )
        if available != rule.points_available:
            r.fail(
                where,
                f"declares points_available {rule.points_available} "
                f"but the items add up to {available} points",
            )
        if rule.threshold > available:
            r.fail(where, f"threshold {rule.threshold} is more than the {available} available")
