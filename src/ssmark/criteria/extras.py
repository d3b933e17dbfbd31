"""The two checklists attached to items: the audit items (1-1-2) and the diagnosis (2-1-1)."""

from __future__ import annotations

from collections.abc import Mapping

from ssmark.criteria.model import Audit, AuditGroup, Cvss, Diagnosis, Entry, Item
from ssmark.criteria.reader import Reader


def parse_audit(r: Reader, value: object, items: Mapping[str, Item]) -> Audit:
    where = "audit"
    data = r.mapping(
        value,
        where,
        required=("item", "period_months", "groups"),
        optional=("intro", "intro_en", "method", "method_en"),
    )
    item = _item_ref(r, data, where, items)
    groups = []
    codes: set[str] = set()
    for index, raw in enumerate(r.sequence(data["groups"], f"{where}: groups"), start=1):
        g_where = f"audit group #{index}"
        group = r.mapping(raw, g_where, required=("code", "title", "title_en", "entries"))
        code = r.code(group, "code", g_where)
        g_where = f"audit group {code}"
        _unique(r, code, codes, g_where)
        entries = _entries(r, group["entries"], g_where, codes)
        groups.append(AuditGroup(code, r.text(group, "title", g_where), entries))
    return Audit(
        item=item,
        period_months=r.integer(data, "period_months", where, minimum=1),
        intro=r.text(data, "intro", where),
        method=r.text(data, "method", where),
        groups=tuple(groups),
    )


def parse_diagnosis(r: Reader, value: object, items: Mapping[str, Item]) -> Diagnosis:
    where = "diagnosis"
    data = r.mapping(
        value,
        where,
        required=("item", "max_age_months", "focus"),
        optional=("basis", "basis_en", "method", "method_en", "conditions", "cvss"),
    )
    codes: set[str] = set()
    return Diagnosis(
        item=_item_ref(r, data, where, items),
        max_age_months=r.integer(data, "max_age_months", where, minimum=1),
        basis=r.text(data, "basis", where),
        method=r.text(data, "method", where),
        focus=_entries(r, data["focus"], "diagnosis focus", codes),
        conditions=_entries(r, data.get("conditions", []), "diagnosis conditions", codes, False),
        cvss=_cvss(r, data["cvss"]) if "cvss" in data else None,
    )


def _cvss(r: Reader, value: object) -> Cvss:
    where = "diagnosis.cvss"
    data = r.mapping(
        value,
        where,
        required=("version", "fail_at", "statement_at", "transition_from", "transition_until"),
        optional=("fallback",),
    )
    fallback = data.get("fallback", "allowed")
    if fallback not in ("allowed", "refused"):
        r.fail(where, f"fallback must be 'allowed' or 'refused', got {fallback!r}")
    cvss = Cvss(
        version=r.code(data, "version", where),
        fail_at=r.number(data, "fail_at", where),
        statement_at=r.number(data, "statement_at", where),
        transition_from=r.date(data, "transition_from", where),
        transition_until=r.date(data, "transition_until", where),
        fallback_allowed=fallback == "allowed",
    )
    if not 0.0 <= cvss.statement_at <= cvss.fail_at <= 10.0:
        r.fail(where, "need 0 <= statement_at <= fail_at <= 10")
    if cvss.transition_until < cvss.transition_from:
        r.fail(where, "transition_until is before transition_from")
    return cvss


def _item_ref(r: Reader, data: Mapping[str, object], where: str, items: Mapping[str, Item]) -> str:
    code = r.code(data, "item", where)
    if code not in items:
        r.fail(where, f"names item {code}, which the set does not have")
    return code


def _unique(r: Reader, code: str, seen: set[str], where: str) -> None:
    if code in seen:
        r.fail(where, f"duplicate code {code}")
    seen.add(code)


def _entries(
    r: Reader, value: object, where: str, seen: set[str], non_empty: bool = True
) -> tuple[Entry, ...]:
    entries = []
    for index, raw in enumerate(r.sequence(value, where, non_empty=non_empty), start=1):
        e_where = f"{where} #{index}"
        data = r.mapping(raw, e_where, required=("code", "text", "text_en"))
        code = r.code(data, "code", e_where)
        e_where = f"{where} {code}"
        _unique(r, code, seen, e_where)
        entries.append(Entry(code, r.text(data, "text", e_where)))
    return tuple(entries)
