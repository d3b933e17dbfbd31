"""A small made-up criteria set (not the seed's) for tests, as a plain mapping."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

TINY: dict[str, Any] = {
    "id": "tiny-2030",
    "title": "試験用の小さな審査基準",
    "title_en": "Tiny test criteria",
    "scheme": "public_wifi",
    "applies_from": "2030-04-01",
    "rules": {
        # new: 1 mandatory (1-1-1); 4 points (1-1-2) + graded 0-5 (1-2) = 9 available
        "new": {"threshold": 6, "mandatory_count": 1, "points_available": 9},
        # renewal: 1-1-2 becomes mandatory; only the graded item gives points
        "renewal": {"threshold": 4, "mandatory_count": 2, "points_available": 5},
    },
    "categories": [
        {
            "code": "1",
            "title": "分類一",
            "title_en": "Category one",
            "groups": [
                {
                    "code": "1-1",
                    "title": "群一",
                    "title_en": "Group one",
                    "items": [
                        {
                            "code": "1-1-1",
                            "text": "必須の項目",
                            "text_en": "A mandatory item",
                            "evidence": "DOC",
                            "scoring": "mandatory",
                        },
                        {
                            "code": "1-1-2",
                            "text": "新規は点数、更新は必須",
                            "text_en": "Points when new, mandatory on renewal",
                            "evidence": ["WEB", "SIGNED"],
                            "scoring": {"new": {"points": 4}, "renewal": "mandatory"},
                        },
                    ],
                },
                {
                    "code": "1-2",
                    "title": "群二",
                    "title_en": "Group two",
                    "items": [
                        {
                            "code": "1-2",
                            "text": "評点の項目",
                            "text_en": "A graded item",
                            "evidence": "DOC+WEB",
                            "scoring": {"graded": {"min": 0, "max": 5}},
                        }
                    ],
                },
            ],
        }
    ],
    "audit": {
        "item": "1-1-2",
        "period_months": 6,
        "groups": [
            {
                "code": "A1",
                "title": "監査",
                "title_en": "Audit",
                "entries": [{"code": "A1-1", "text": "記録", "text_en": "Records"}],
            }
        ],
    },
}


def tiny() -> dict[str, Any]:
    return copy.deepcopy(TINY)


def write_set(directory: Path, data: dict[str, Any], name: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (name or f"{data.get('id', 'broken')}.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
