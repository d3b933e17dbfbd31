"""A pure criteria set turned into what the catalog templates show, in the active language.

Templates cannot call `text.get(lang)` or `item.scoring_for(review)`, so the choices are made
here once: content in Japanese or English, labels through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, gettext, ngettext

from ssmark import criteria
from ssmark.catalog.models import ReviewType


def lang() -> str:
    return get_language() or "ja"


def kind_label(scoring: criteria.Scoring) -> str:
    if scoring.kind is criteria.Kind.MANDATORY:
        return gettext("Mandatory")
    if scoring.kind is criteria.Kind.POINTS:
        return ngettext("%(points)d point", "%(points)d points", scoring.points) % {
            "points": scoring.points
        }
    label = gettext("Graded %(min)d–%(max)d") % {"min": scoring.grade_min, "max": scoring.grade_max}
    if scoring.zero_fails:
        label += " " + gettext("(0 fails)")
    return label


def review_label(review: criteria.ReviewType) -> str:
    # Own msgids: the bare "New" / "Renewal" of the model choices are too generic to say
    # "new review" in every place they are used.
    if review == ReviewType.NEW:
        return gettext("New review")
    return gettext("Renewal review")


@dataclass(frozen=True)
class Totals:
    review: str
    mandatory: int
    points_available: int
    threshold: int


@dataclass(frozen=True)
class Evidence:
    code: str
    text: str


@dataclass(frozen=True)
class ItemRow:
    code: str
    text: str
    kinds: list[str]  # one label per review type, in the set's order
    evidence: list[Evidence]
    mandatory: bool  # on any review type; highlighted
    graded: bool


@dataclass(frozen=True)
class GroupView:
    code: str
    title: str
    items: list[ItemRow]


@dataclass(frozen=True)
class CategoryView:
    code: str
    title: str
    description: str
    groups: list[GroupView]


@dataclass(frozen=True)
class Listing:
    """A coded list: audit items (grouped) or diagnosis focus areas and conditions."""

    code: str
    title: str
    entries: list[Evidence]


def totals(cs: criteria.CriteriaSet) -> list[Totals]:
    return [
        Totals(review_label(r.review), r.mandatory_count, r.points_available, r.threshold)
        for r in cs.rules
    ]


def evidence_legend(cs: criteria.CriteriaSet) -> list[Evidence]:
    used = {kind for item in cs.items for kind in item.evidence}
    return [_evidence(kind) for kind in criteria.EvidenceKind if kind in used]


def _evidence(kind: criteria.EvidenceKind) -> Evidence:
    return Evidence(str(kind), criteria.EVIDENCE_TEXT[kind].get(lang()))


def _item(cs: criteria.CriteriaSet, item: criteria.Item) -> ItemRow:
    kinds = [kind_label(item.scoring_for(review)) for review in cs.review_types]
    if item.graded_at_review:
        kinds = [f"{kind} {gettext('(graded at review)')}" for kind in kinds]
    return ItemRow(
        code=item.code,
        text=item.text.get(lang()),
        kinds=kinds,
        evidence=[_evidence(kind) for kind in item.evidence],
        mandatory=any(s.kind is criteria.Kind.MANDATORY for _, s in item.scoring),
        graded=item.is_graded,
    )


def categories(cs: criteria.CriteriaSet) -> list[CategoryView]:
    return [
        CategoryView(
            code=c.code,
            title=c.title.get(lang()),
            description=c.description.get(lang()),
            groups=[
                GroupView(g.code, g.title.get(lang()), [_item(cs, i) for i in g.items])
                for g in c.groups
            ],
        )
        for c in cs.categories
    ]


def _entries(entries: tuple[criteria.Entry, ...]) -> list[Evidence]:
    return [Evidence(e.code, e.text.get(lang())) for e in entries]


def audit_groups(cs: criteria.CriteriaSet) -> list[Listing]:
    if cs.audit is None:
        return []
    return [Listing(g.code, g.title.get(lang()), _entries(g.entries)) for g in cs.audit.groups]


def diagnosis_lists(cs: criteria.CriteriaSet) -> list[Listing]:
    d = cs.diagnosis
    if d is None:
        return []
    lists = [Listing("focus", gettext("Focus areas"), _entries(d.focus))]
    if d.conditions:
        lists.append(Listing("conditions", gettext("Conditions"), _entries(d.conditions)))
    return lists
