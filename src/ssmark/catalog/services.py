"""The catalog in the database: loading shipped sets, and getting the pure set back.

A loaded set is never changed: its rows and `definition` stay as they were, so applications
pinned to it keep being assessed under the rules they were made under. A file whose set id is
already loaded but whose content differs is refused; a revision must get a new set id.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from ssmark import criteria
from ssmark.catalog import models
from ssmark.core.refusals import WrongState


class CatalogConflict(WrongState):
    """A shipped file changed after its set was loaded (loaded sets are never overwritten)."""

    default_code = "catalog_conflict"


@dataclass(frozen=True)
class SyncResult:
    set_id: str
    status: str  # "loaded" or "unchanged"
    items: int


# (set_id, sha256) -> pure set. A stored set never changes, so entries never go stale.
_cache: dict[tuple[str, str], criteria.CriteriaSet] = {}


def get_criteria_set(set_obj: models.CriteriaSet) -> criteria.CriteriaSet:
    """The pure `CriteriaSet` rebuilt from the stored definition (cached)."""
    key = (set_obj.set_id, set_obj.source_sha256)
    cached = _cache.get(key)
    if cached is None:
        cached = criteria.parse_set(set_obj.definition, f"database: criteria set {set_obj.set_id}")
        _cache[key] = cached
    return cached


def current_set(scheme: str, on_date: datetime.date) -> models.CriteriaSet | None:
    """The set in force for `scheme` on `on_date`: the latest `applies_from` on or before it."""
    return (
        models.CriteriaSet.objects.filter(scheme=scheme, applies_from__lte=on_date)
        .order_by("-applies_from", "-set_id")
        .first()
    )


def sync_sets(entries: Iterable[criteria.LoadedSet]) -> list[SyncResult]:
    """Store every set not yet loaded; refuse a changed file (all or nothing)."""
    results = []
    with transaction.atomic():
        for entry in entries:
            results.append(_sync_one(entry))
    return results


def _sync_one(entry: criteria.LoadedSet) -> SyncResult:
    cs = entry.criteria
    existing = models.CriteriaSet.objects.filter(set_id=cs.id).first()
    if existing is not None:
        if existing.source_sha256 != entry.sha256:
            raise CatalogConflict(
                f"criteria set {cs.id} is already loaded, but {entry.path} has changed since "
                f"(sha256 {existing.source_sha256[:12]}… loaded, {entry.sha256[:12]}… now); "
                "a loaded set is never changed: give the revision a new set id"
            )
        return SyncResult(cs.id, "unchanged", existing.items.count())
    set_obj = models.CriteriaSet.objects.create(
        set_id=cs.id,
        title=cs.title.ja,
        title_en=cs.title.en,
        scheme=str(cs.scheme),
        applies_from=cs.applies_from,
        source_sha256=entry.sha256,
        definition=cs.to_dict(),
    )
    position = 0
    for c_index, category in enumerate(cs.categories, start=1):
        cat_obj = models.Category.objects.create(
            criteria_set=set_obj,
            code=category.code,
            title=category.title.ja,
            title_en=category.title.en,
            position=c_index,
        )
        for item in category.items:
            position += 1
            models.Item.objects.create(
                criteria_set=set_obj, category=cat_obj, position=position, **_item_fields(item)
            )
    return SyncResult(cs.id, "loaded", position)


def _item_fields(item: criteria.Item) -> dict[str, object]:
    new = item.scoring_for(criteria.ReviewType.NEW)
    renewal = item.scoring_for(criteria.ReviewType.RENEWAL)
    graded = next((s for s in (new, renewal) if s.kind is criteria.Kind.GRADED), None)
    return {
        "code": item.code,
        "text": item.text.ja,
        "text_en": item.text.en,
        "evidence": [str(kind) for kind in item.evidence],
        "new_kind": str(new.kind),
        "new_points": new.max_points,
        "renewal_kind": str(renewal.kind),
        "renewal_points": renewal.max_points,
        "grade_min": graded.grade_min if graded else None,
        "grade_max": graded.grade_max if graded else None,
        "zero_fails": graded.zero_fails if graded else False,
    }
