"""The reviewer's worksheet: every item with the applicant's claim and evidence beside the
reviewer's finding, what changed since the last round, and the official verdict.

Built with a fixed number of queries whatever the number of items (see the query-count test).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from ssmark.applications import assessment
from ssmark.applications.models import (
    Application,
    Evidence,
    ItemAnswer,
    ScanReport,
    SecurityAuditRecord,
    Submission,
)
from ssmark.catalog.models import Category, Item, ItemKind

from .forms import FindingForm
from .models import ReturnComment, ReturnRound, ReviewFinding
from .queries import return_comments_for
from .verdict import Verdict, official_verdict


@dataclass
class ItemChange:
    """How the applicant's answer to one item differs from the previous round."""

    previous: Mapping[str, Any] | None
    current: Mapping[str, Any] | None
    other: bool = False  # a change outside the answer (scan reports, audits)

    def _evidence(self, side: Mapping[str, Any] | None) -> dict[str, str]:
        out: dict[str, str] = {}
        for ev in (side or {}).get("evidence", []):
            key = ev.get("sha256") or ev.get("url") or ev.get("statement") or ev.get("name", "")
            out[key] = ev.get("name") or ev.get("url") or ev.get("signer_name") or key
        return out

    @property
    def claim_changed(self) -> bool:
        return _claim(self.previous) != _claim(self.current)

    @property
    def previous_claim(self) -> dict[str, Any]:
        return _claim(self.previous)

    @property
    def current_claim(self) -> dict[str, Any]:
        return _claim(self.current)

    @property
    def explanation_changed(self) -> bool:
        return (self.previous or {}).get("explanation", "") != (self.current or {}).get(
            "explanation", ""
        )

    @property
    def previous_explanation(self) -> str:
        return str((self.previous or {}).get("explanation", ""))

    @property
    def evidence_added(self) -> list[str]:
        old, new = self._evidence(self.previous), self._evidence(self.current)
        return [name for key, name in new.items() if key not in old]

    @property
    def evidence_removed(self) -> list[str]:
        old, new = self._evidence(self.previous), self._evidence(self.current)
        return [name for key, name in old.items() if key not in new]


def _claim(side: Mapping[str, Any] | None) -> dict[str, Any]:
    side = side or {}
    return {"claim": side.get("claim", ""), "grade": side.get("grade")}


def diff_snapshots(
    previous: Mapping[str, Any],
    current: Mapping[str, Any],
    *,
    scan_item: str | None = None,
    security_audit_item: str | None = None,
) -> dict[str, ItemChange]:
    """Item code → change, between two submission snapshots of the applications app."""
    old, new = previous.get("answers", {}), current.get("answers", {})
    changes = {
        code: ItemChange(old.get(code), new.get(code))
        for code in set(old) | set(new)
        if old.get(code) != new.get(code)
    }
    extra = []
    if scan_item and any(
        previous.get(key) != current.get(key)
        for key in ("scan_reports", "host_roles", "finding_statements")
    ):
        extra.append(scan_item)
    if security_audit_item and previous.get("audits") != current.get("audits"):
        extra.append(security_audit_item)
    for code in extra:
        if code in changes:
            changes[code].other = True
        else:
            changes[code] = ItemChange(old.get(code), new.get(code), other=True)
    return changes


def changes_since_last_round(
    application: Application, items: list[Item] | None = None
) -> dict[str, ItemChange]:
    """What the applicant changed between the last two submissions (empty before a resubmit)."""
    last_two = list(Submission.objects.filter(application=application).order_by("-number")[:2])
    if len(last_two) < 2:
        return {}
    current, previous = last_two
    if items is None:
        items = list(Item.objects.filter(criteria_set_id=application.criteria_set_id))
    scan = next((i for i in items if assessment.is_scan_item(i)), None)
    audit_ = next((i for i in items if assessment.is_security_audit_item(i)), None)
    return diff_snapshots(
        previous.snapshot,
        current.snapshot,
        scan_item=scan.code if scan else None,
        security_audit_item=audit_.code if audit_ else None,
    )


@dataclass
class Row:
    item: Item
    kind: str
    points: int
    graded: bool
    answer: ItemAnswer | None
    finding: ReviewFinding | None
    form: FindingForm
    change: ItemChange | None = None
    return_comments: list[ReturnComment] = field(default_factory=list)
    is_scan_item: bool = False
    is_security_audit_item: bool = False

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.answer.evidence.all()) if self.answer else []

    @property
    def differs_from_claim(self) -> bool:
        """The reviewer's finding disagrees with the applicant's claim."""
        if self.answer is None or self.finding is None or not self.finding.is_answered:
            return False
        if self.graded:
            return self.answer.grade != self.finding.grade
        claim = {"met": "met", "unmet": "not_met"}.get(self.answer.claim, "")
        return claim != self.finding.finding


@dataclass
class Block:
    category: Category
    rows: list[Row]


@dataclass
class Worksheet:
    application: Application
    blocks: list[Block]
    verdict: Verdict
    changes: dict[str, ItemChange]
    latest_round: ReturnRound | None
    scan_gate: assessment.ScanGate | None
    scan_reports: list[ScanReport]
    audits: list[SecurityAuditRecord]
    security_audit_coverage: assessment.SecurityAuditCoverage | None
    answered: int
    total: int

    @property
    def rows(self) -> list[Row]:
        return [row for block in self.blocks for row in block.rows]


def build_worksheet(application: Application) -> Worksheet:
    items = list(
        Item.objects.filter(criteria_set_id=application.criteria_set_id)
        .select_related("category")
        .order_by("position")
    )
    answers = {
        a.item_id: a
        for a in ItemAnswer.objects.filter(application=application).prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("created", "id"))
        )
    }
    findings = {
        f.item_id: f
        for f in ReviewFinding.objects.filter(application=application).select_related("updated_by")
    }
    by_item_code = {item.pk: item for item in items}
    for found in findings.values():
        found.item = by_item_code[found.item_id]
    verdict = official_verdict(application, findings.values())
    changes = changes_since_last_round(application, items)
    comments = return_comments_for(application)
    latest_round = next(iter(comments.values()))[0].round if comments else None
    has_scan_item = any(map(assessment.is_scan_item, items))
    gate = assessment.scan_gate(application) if has_scan_item else None
    scan_reports = list(application.scan_reports.all()) if has_scan_item else []
    audits: list[SecurityAuditRecord] = []
    coverage = None
    if any(map(assessment.is_security_audit_item, items)):
        audits = list(application.audits.all())
        coverage = assessment.security_audit_coverage(application, audits)

    blocks: list[Block] = []
    answered = 0
    for item in items:
        kind = item.kind_for(application.review_type)
        finding = findings.get(item.pk)
        if finding is not None and finding.is_answered:
            answered += 1
        row = Row(
            item=item,
            kind=kind,
            points=item.points_for(application.review_type),
            graded=kind == ItemKind.GRADED,
            answer=answers.get(item.pk),
            finding=finding,
            form=FindingForm(item=item, graded=kind == ItemKind.GRADED, finding=finding),
            change=changes.get(item.code),
            return_comments=comments.get(item.code, []),
            is_scan_item=assessment.is_scan_item(item),
            is_security_audit_item=assessment.is_security_audit_item(item),
        )
        if not blocks or blocks[-1].category.pk != item.category_id:
            blocks.append(Block(category=item.category, rows=[]))
        blocks[-1].rows.append(row)
    return Worksheet(
        application=application,
        blocks=blocks,
        verdict=verdict,
        changes=changes,
        latest_round=latest_round,
        scan_gate=gate,
        scan_reports=scan_reports,
        audits=audits,
        security_audit_coverage=coverage,
        answered=answered,
        total=len(items),
    )
