"""Reasons for a verdict: structured codes with parameters, rendered in Japanese or English.

The package is Django-free, so these are plain templates rather than gettext catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ssmark.criteria.model import Lang, ReviewType, is_english

Param = str | int


@dataclass(frozen=True)
class Reason:
    code: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Param) -> Reason:
        if code not in TEMPLATES_JA:
            raise ValueError(f"unknown reason code {code!r}")
        return cls(code, tuple(sorted(params.items())))

    def param_dict(self) -> dict[str, Param]:
        return dict(self.params)


TEMPLATES_JA = {
    "passed": (
        "合格: 必須{total}項目をすべて満たし、{available}点中{earned}点を獲得"
        "（合格基準{threshold}点以上）"
    ),
    "failed": (
        "不合格: 必須{total}項目中{met}項目を充足、{available}点中{earned}点"
        "（合格基準{threshold}点以上）"
    ),
    "mandatory_unmet": "必須項目 {item} が満たされていません",
    "mandatory_unanswered": "必須項目 {item} が未回答です（未充足として扱います）",
    "graded_zero": "項目 {item} の評点が0点です（0点は不合格）",
    "graded_unanswered": "項目 {item} の評点が未回答です（0点は不合格のため合格と判定できません）",
    "points_short": (
        "点数が不足しています: {available}点中{earned}点、合格基準{threshold}点まであと{shortfall}点"
    ),
    "points_ok": "点数は合格基準を満たしています: {available}点中{earned}点（合格基準{threshold}点以上）",
    "unanswered": "項目 {item} は未回答です（0点として扱います）",
    "graded_at_review": "項目 {item} は審査で評点されます（申請者は取組みを記述します）",
    "points_pending": (
        "自己評価の点数は{available}点中{earned}点: 合格基準{threshold}点まであと{shortfall}点を"
        "審査で評点される項目（最大{pending}点）から得る必要があります"
    ),
}

TEMPLATES_EN = {
    "passed": (
        "Passed: all {total} mandatory items met and {earned} of {available} points"
        " (at least {threshold} needed)"
    ),
    "failed": (
        "Failed: {met} of {total} mandatory items met, {earned} of {available} points"
        " (at least {threshold} needed)"
    ),
    "mandatory_unmet": "Mandatory item {item} is not met",
    "mandatory_unanswered": "Mandatory item {item} is unanswered (counted as not met)",
    "graded_zero": "Item {item} is graded 0, and a 0 fails the application",
    "graded_unanswered": (
        "Item {item} has no grade; a 0 fails the application, so it cannot pass without one"
    ),
    "points_short": (
        "Not enough points: {earned} of {available}, {shortfall} short of the threshold"
        " of {threshold}"
    ),
    "points_ok": "Points meet the threshold: {earned} of {available} (at least {threshold} needed)",
    "unanswered": "Item {item} is unanswered (no points)",
    "graded_at_review": "Item {item} is graded at review (the applicant describes what they do)",
    "points_pending": (
        "Self-assessed points: {earned} of {available}; the remaining {shortfall} to the"
        " threshold of {threshold} must come from the items graded at review (up to {pending})"
    ),
}

REVIEW_LABELS = {
    ReviewType.NEW: ("新規審査", "new review"),
    ReviewType.RENEWAL: ("更新審査", "renewal review"),
}


def render(reason: Reason, lang: Lang = "ja") -> str:
    templates = TEMPLATES_EN if is_english(lang) else TEMPLATES_JA
    return templates[reason.code].format(**reason.param_dict())


def review_label(review: ReviewType, lang: Lang = "ja") -> str:
    ja, en = REVIEW_LABELS[review]
    return en if is_english(lang) else ja
