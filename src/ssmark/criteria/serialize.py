"""A set as its canonical, JSON-serialisable definition (what the database stores).

`parse_set(set_to_dict(cs), ...)` gives back an equal set: the stored definition is read by the
same validator as the shipped YAML, so there is one schema, not two.
"""

from __future__ import annotations

from typing import Any

from ssmark.criteria.model import CriteriaSet, Entry, Item, Text


def _text(key: str, text: Text) -> dict[str, str]:
    return {key: text.ja, f"{key}_en": text.en} if text.ja or text.en else {}


def _entries(entries: tuple[Entry, ...]) -> list[dict[str, str]]:
    return [{"code": e.code, **_text("text", e.text)} for e in entries]


def _item(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": item.code,
        **_text("text", item.text),
        "evidence": [str(kind) for kind in item.evidence],
        "scoring": {str(review): scoring.to_dict() for review, scoring in item.scoring},
    }
    if item.graded_at_review:
        data["graded_at_review"] = True
    return data


def set_to_dict(cs: CriteriaSet) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": cs.id,
        **_text("title", cs.title),
        "scheme": str(cs.scheme),
        "applies_from": cs.applies_from.isoformat(),
        "rules": {
            str(rule.review): {
                "threshold": rule.threshold,
                "mandatory_count": rule.mandatory_count,
                "points_available": rule.points_available,
            }
            for rule in cs.rules
        },
        "categories": [
            {
                "code": category.code,
                **_text("title", category.title),
                **_text("description", category.description),
                "groups": [
                    {
                        "code": group.code,
                        **_text("title", group.title),
                        "items": [_item(item) for item in group.items],
                    }
                    for group in category.groups
                ],
            }
            for category in cs.categories
        ],
    }
    if cs.notes:
        data["notes"] = [_text("text", note) for note in cs.notes]
    if cs.audit:
        a = cs.audit
        data["audit"] = {
            "item": a.item,
            "period_months": a.period_months,
            **_text("intro", a.intro),
            **_text("method", a.method),
            "groups": [
                {"code": g.code, **_text("title", g.title), "entries": _entries(g.entries)}
                for g in a.groups
            ],
        }
    if cs.diagnosis:
        d = cs.diagnosis
        data["diagnosis"] = {
            "item": d.item,
            "max_age_months": d.max_age_months,
            **_text("basis", d.basis),
            **_text("method", d.method),
            "focus": _entries(d.focus),
            "conditions": _entries(d.conditions),
        }
        if d.cvss:
            data["diagnosis"]["cvss"] = {
                "version": d.cvss.version,
                "fail_at": d.cvss.fail_at,
                "statement_at": d.cvss.statement_at,
                "transition_from": d.cvss.transition_from.isoformat(),
                "transition_until": d.cvss.transition_until.isoformat(),
            }
            if not d.cvss.fallback_allowed:
                data["diagnosis"]["cvss"]["fallback"] = "refused"
    return data
