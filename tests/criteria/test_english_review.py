"""Issue 9, point 4: the second reader's review of the English of isp-2010
(docs/criteria-english-review.md). Only English may change: the Japanese texts are the seed's
words, fingerprinted here, and every one has an English rendering."""

from __future__ import annotations

import hashlib
from typing import Any

from ssmark.criteria import EVIDENCE_TEXT, EvidenceKind, get_set
from ssmark.criteria.loader import set_directories
from ssmark.criteria.yamlio import read_yaml

TRANSLATED = ("title", "text", "description", "intro", "method", "basis")

# sha256 over every Japanese text of isp-2010 that has an English partner, in file order
# (path=text lines). Changing any Japanese word changes it: the Japanese is the seed's.
JAPANESE_FINGERPRINT = (134, "d7a5ac03a0366759c68d0fe141a5b330eb7a64f53c0a7dfb45bf146698e454c4")


def _raw() -> dict[str, Any]:
    path = next(d / "isp-2010.yaml" for d in set_directories() if (d / "isp-2010.yaml").exists())
    data, _raw_bytes = read_yaml(path)
    assert isinstance(data, dict)
    return data


def _japanese(node: Any, path: str, out: list[tuple[str, str]]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and f"{key}_en" in node:
                out.append((f"{path}/{key}", value))
            nested = isinstance(value, dict | list)
            _japanese(value, f"{path}/{node.get('code', key)}" if nested else path, out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _japanese(value, f"{path}/{index}", out)


def _untranslated(node: Any, out: list[str]) -> None:
    if isinstance(node, dict):
        for key in TRANSLATED:
            if isinstance(node.get(key), str) and not str(node.get(f"{key}_en", "")).strip():
                out.append(f"{node.get('code', '?')}.{key}")
        for value in node.values():
            _untranslated(value, out)
    elif isinstance(node, list):
        for value in node:
            _untranslated(value, out)


def test_the_japanese_is_unchanged_and_every_text_has_english() -> None:
    texts: list[tuple[str, str]] = []
    _japanese(_raw(), "", texts)
    digest = hashlib.sha256("\n".join(f"{p}={t}" for p, t in texts).encode()).hexdigest()
    assert (len(texts), digest) == JAPANESE_FINGERPRINT
    missing: list[str] = []
    _untranslated(_raw(), missing)
    assert missing == []


def test_7_3_list_qualifies_the_workers_and_keeps_dispatched_workers_apart() -> None:
    en = " ".join(get_set("isp-2010").item("7-3").text.en.split())
    # The bracketed list (正社員…アルバイト等) qualifies 従業者, not the dispatched workers.
    assert "to workers (regular employees, contract employees, shokutaku employees" in en
    assert en.index("arubaito") < en.index("including workers dispatched by staffing agencies")
    assert "all workers" not in en and en.endswith("and to officers")


def test_diagnosis_conditions_keep_the_seeds_obligations() -> None:
    diagnosis = get_set("isp-2010").diagnosis
    assert diagnosis is not None
    conditions = {c.code: " ".join(c.text.en.split()) for c in diagnosis.conditions}
    assert conditions["C1"].startswith("From now on, it is a condition that")  # 今後…条件とする
    assert "Basic Metric" in conditions["C1"]
    assert "must not be detected" in conditions["C2"]  # しなければならない
    # 意見書の提出を必要とする: the official term, and the submission is required.
    assert (
        "the submission of a written opinion of the responsible manager is required"
        in (conditions["C3"])
    )
    focus = {f.code: f.text.en for f in diagnosis.focus}
    assert "routers" not in focus["D6"]  # 接続機器: nothing added


def test_words_the_seed_does_not_have_are_gone() -> None:
    seed = get_set("isp-2010")
    assert "proper acquisition" in seed.item("7-2-2").text.en  # 適正な取得
    assert "lawful" not in seed.item("7-2-2").text.en
    assert "putting in place a structure for monitoring" in seed.item("7-1-1").text.en  # 整備
    assert "educated" not in seed.categories[5].description.en  # 啓発 is not 教育
    assert seed.categories[3].title.en.endswith("terms of service and the like for users")
    assert "in person" not in EVIDENCE_TEXT[EvidenceKind.PIM_SIGNED].en  # 本人: personally
    assert "personally" in EVIDENCE_TEXT[EvidenceKind.PIM_SIGNED].en
