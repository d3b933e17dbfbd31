"""A verdict as a readable plain-text report (Japanese by default, or English)."""

from __future__ import annotations

from ssmark.criteria.engine import Verdict
from ssmark.criteria.messages import review_label
from ssmark.criteria.model import CriteriaSet, Lang, is_english

LABELS = {
    # key: (Japanese, English)
    "criteria": ("審査基準", "Criteria"),
    "review": ("審査種別", "Review"),
    "result": ("判定", "Result"),
    "passed": ("合格", "PASS"),
    "failed": ("不合格", "FAIL"),
    "mandatory": ("必須項目", "Mandatory items"),
    "mandatory_value": ("{total}項目中{met}項目を充足", "{met} of {total} met"),
    "unmet": ("未充足", "Not met"),
    "points": ("点数", "Points"),
    "points_value": (
        "{available}点中{earned}点（合格基準{threshold}点以上）",
        "{earned} of {available} (at least {threshold} needed)",
    ),
    "graded_zero": ("評点0の項目", "Graded 0"),
    "unanswered": ("未回答の項目", "Unanswered"),
    "reasons": ("理由", "Reasons"),
    "none": ("なし", "none"),
}


def _label(key: str, lang: Lang) -> str:
    ja, en = LABELS[key]
    return en if is_english(lang) else ja


def _codes(codes: tuple[str, ...], lang: Lang) -> str:
    return ", ".join(codes) if codes else _label("none", lang)


def render_report(verdict: Verdict, criteria_set: CriteriaSet, lang: Lang = "ja") -> str:
    def line(key: str, value: str) -> str:
        return f"{_label(key, lang)}: {value}"

    lines = [
        line("criteria", f"{criteria_set.title.get(lang)} ({criteria_set.id})"),
        line("review", review_label(verdict.review, lang)),
        line("result", _label("passed" if verdict.passed else "failed", lang)),
        line(
            "mandatory",
            _label("mandatory_value", lang).format(
                met=verdict.mandatory_met, total=verdict.mandatory_total
            ),
        ),
        "  " + line("unmet", _codes(verdict.mandatory_unmet, lang)),
        line(
            "points",
            _label("points_value", lang).format(
                earned=verdict.points_earned,
                available=verdict.points_available,
                threshold=verdict.threshold,
            ),
        ),
        line("graded_zero", _codes(verdict.graded_zero, lang)),
        line("unanswered", _codes(verdict.unanswered, lang)),
        _label("reasons", lang) + ":",
        *(f"  - {reason}" for reason in verdict.reasons(lang)),
    ]
    return "\n".join(lines) + "\n"
