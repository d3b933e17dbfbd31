"""The criteria catalog as plain, immutable data.

Nothing here knows about YAML, files or Django: `schema.py` builds these objects from a
mapping, `loader.py` finds the files, `engine.py` assesses answers against them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Scheme(StrEnum):
    ISP = "isp"
    PUBLIC_WIFI = "public_wifi"


class ReviewType(StrEnum):
    NEW = "new"
    RENEWAL = "renewal"


class Kind(StrEnum):
    MANDATORY = "mandatory"
    POINTS = "points"
    GRADED = "graded"


class EvidenceKind(StrEnum):
    DOC = "DOC"
    WEB = "WEB"
    DOC_OR_WEB = "DOC/WEB"
    DOC_AND_WEB = "DOC+WEB"
    SIGNED = "SIGNED"
    PIM_SIGNED = "PIM-SIGNED"  # 個人情報保護管理者本人の署名押印 (7-0-1, 7-2-1)
    PIM_SIGNED_BY = "PIM-SIGNED-BY"  # 個人情報保護管理者による署名押印 (7-3)
    AUDIT = "AUDIT"
    SCAN = "SCAN"


# The lowest and highest grade any graded item may use (the seed grades 7-1-x from 0 to 5).
GRADE_FLOOR = 0
GRADE_CEILING = 5

Lang = str  # "ja" or "en"; anything not starting with "en" is Japanese, the default.


def is_english(lang: Lang) -> bool:
    return lang.lower().startswith("en")


@dataclass(frozen=True)
class Text:
    """A text in Japanese (the authoritative wording) and its English rendering."""

    ja: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.en if is_english(lang) else self.ja


# What each evidence kind asks for; the Japanese wording is the seed's "確認方法" column.
EVIDENCE_TEXT: dict[EvidenceKind, Text] = {
    EvidenceKind.DOC: Text("書面による当該文書の提出", "The document itself, submitted in writing"),
    EvidenceKind.WEB: Text("Webの提示", "Shown on the web"),
    EvidenceKind.DOC_OR_WEB: Text(
        "書面による当該文書の提出、またはWebの提示",
        "The document in writing, or shown on the web (either)",
    ),
    EvidenceKind.DOC_AND_WEB: Text(
        "書面による当該文書の提出およびWebの提示",
        "The document in writing and shown on the web (both)",
    ),
    EvidenceKind.SIGNED: Text(
        "担当責任者による署名押印", "Signed and sealed by the responsible manager"
    ),
    EvidenceKind.PIM_SIGNED: Text(
        "個人情報保護管理者本人の署名押印",
        "Signed and sealed personally by the personal-information protection manager",
    ),
    EvidenceKind.PIM_SIGNED_BY: Text(
        "個人情報保護管理者による署名押印",
        "Signed and sealed by the personal-information protection manager",
    ),
    EvidenceKind.AUDIT: Text("直近の監査報告書の提出", "The latest audit report"),
    EvidenceKind.SCAN: Text(
        "申請書提出日の３ヶ月以内に行われた診断結果書類の提出",
        "The results of a security diagnosis carried out within 3 months before the application "
        "date",
    ),
}


@dataclass(frozen=True)
class Scoring:
    """How one item counts on one review type."""

    kind: Kind
    points: int = 0  # fixed points, for Kind.POINTS
    grade_min: int = 0  # for Kind.GRADED
    grade_max: int = 0
    zero_fails: bool = False  # for Kind.GRADED: a grade of 0 fails the application outright

    @property
    def max_points(self) -> int:
        """What the item adds to the points available."""
        if self.kind is Kind.POINTS:
            return self.points
        if self.kind is Kind.GRADED:
            return self.grade_max
        return 0

    def label(self, lang: Lang) -> str:
        """`必須` / `5点` / `0–5点` (or English)."""
        en = is_english(lang)
        if self.kind is Kind.MANDATORY:
            return "mandatory" if en else "必須"
        if self.kind is Kind.POINTS:
            return f"{self.points} points" if en else f"{self.points}点"
        span = f"{self.grade_min}–{self.grade_max}"
        return f"graded {span}" if en else f"{span}点"

    def to_dict(self) -> str | dict[str, Any]:
        if self.kind is Kind.MANDATORY:
            return "mandatory"
        if self.kind is Kind.POINTS:
            return {"points": self.points}
        return {
            "graded": {"min": self.grade_min, "max": self.grade_max, "zero_fails": self.zero_fails}
        }


@dataclass(frozen=True)
class Item:
    code: str
    category: str  # the category's code
    group: str  # the group's code (for 7-3 the same as the item's)
    text: Text
    evidence: tuple[EvidenceKind, ...]
    scoring: tuple[tuple[ReviewType, Scoring], ...]  # one entry per review type of the set
    # The grade is the reviewer's, against criteria the scheme does not publish (the seed's
    # 「基準は非公表」 for 7-1-1..7-1-3): the applicant describes, and grades nothing.
    graded_at_review: bool = False

    def scoring_for(self, review: ReviewType | str) -> Scoring:
        for review_type, scoring in self.scoring:
            if review_type == review:
                return scoring
        raise KeyError(f"item {self.code} has no scoring for review type {review!s}")

    def kind_for(self, review: ReviewType | str) -> Kind:
        return self.scoring_for(review).kind

    def points_for(self, review: ReviewType | str) -> int:
        return self.scoring_for(review).max_points

    @property
    def is_graded(self) -> bool:
        return any(s.kind is Kind.GRADED for _, s in self.scoring)


@dataclass(frozen=True)
class Group:
    """A sub-heading of a category, e.g. 1-1; its items are checks of that requirement."""

    code: str
    title: Text
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Category:
    code: str
    title: Text
    description: Text
    groups: tuple[Group, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)


@dataclass(frozen=True)
class PassRule:
    """Pass rule of one review type: every mandatory item met and at least `threshold` points."""

    review: ReviewType
    threshold: int
    mandatory_count: int  # declared in the file, checked against the items by the loader
    points_available: int  # likewise


@dataclass(frozen=True)
class Entry:
    """A coded line of a checklist: an audit item, a diagnosis focus area or condition."""

    code: str
    text: Text


@dataclass(frozen=True)
class AuditGroup:
    code: str
    title: Text
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Audit:
    """What the audit required by an item (1-1-2 in the seed) must cover."""

    item: str
    period_months: int
    intro: Text
    method: Text
    groups: tuple[AuditGroup, ...]


@dataclass(frozen=True)
class Cvss:
    """Machine-readable form of the diagnosis conditions on CVSS base scores."""

    version: str
    fail_at: float  # a finding at or above this score must be gone by the report date
    statement_at: float  # findings at or above this need the responsible manager's 意見書
    transition_from: datetime.date
    transition_until: datetime.date  # exclusive: the rule is fully in force from this date
    # Condition 1 asks for CVSS v2 base scores; may a v3/v4 score decide when a report gives
    # none? (YAML `fallback: allowed | refused`; default allowed, and the finding is flagged)
    fallback_allowed: bool = True


@dataclass(frozen=True)
class Diagnosis:
    """What the vulnerability diagnosis required by an item (2-1-1 in the seed) must satisfy."""

    item: str
    max_age_months: int
    basis: Text
    method: Text
    focus: tuple[Entry, ...]
    conditions: tuple[Entry, ...]
    cvss: Cvss | None


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    title: Text
    scheme: Scheme
    applies_from: datetime.date
    rules: tuple[PassRule, ...]
    categories: tuple[Category, ...]
    notes: tuple[Text, ...] = ()
    audit: Audit | None = None
    diagnosis: Diagnosis | None = None
    # Where it was loaded from, for messages; not part of the definition nor of equality.
    source: str = field(default="", compare=False)

    @property
    def review_types(self) -> tuple[ReviewType, ...]:
        return tuple(rule.review for rule in self.rules)

    def rule(self, review: ReviewType | str) -> PassRule:
        for rule in self.rules:
            if rule.review == review:
                return rule
        known = ", ".join(self.review_types)
        raise KeyError(f"criteria set {self.id} has no review type {review!s} (known: {known})")

    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, in catalog order."""
        return tuple(item for category in self.categories for item in category.items)

    def iter_items(self) -> Iterator[Item]:
        return iter(self.items)

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(f"criteria set {self.id} has no item {code}")

    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def mandatory_count(self, review: ReviewType | str) -> int:
        return sum(1 for item in self.items if item.kind_for(review) is Kind.MANDATORY)

    def points_available(self, review: ReviewType | str) -> int:
        return sum(item.points_for(review) for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        """The canonical definition: JSON-serialisable, and read back by `schema.parse_set`."""
        from ssmark.criteria.serialize import set_to_dict

        return set_to_dict(self)
