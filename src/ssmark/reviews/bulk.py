""" "Mark the remaining items as met": one confirmed step instead of a radio per item.

The items still unassessed (and not graded: a grade is the reviewer's own judgement) are listed
on a confirmation page; on confirmation each gets the finding "met" through
`services.record_finding` (its rules apply item by item, e.g. the scan gate), all in one
transaction: a refusal on one item leaves every finding as it was.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ssmark.applications.models import Application
from ssmark.catalog.models import Item, ItemKind
from ssmark.core.models import audit

from . import services
from .models import FindingValue, ReviewFinding


def remaining_items(application: Application) -> list[Item]:
    """Items without a finding yet that may be found met in one step (graded items excluded)."""
    done = set(
        ReviewFinding.objects.filter(application=application)
        .exclude(finding="", grade__isnull=True)
        .values_list("item_id", flat=True)
    )
    return [
        item
        for item in Item.objects.filter(criteria_set_id=application.criteria_set_id).order_by(
            "position"
        )
        if item.pk not in done and item.kind_for(application.review_type) != ItemKind.GRADED
    ]


def mark_remaining_met(*, actor: Any, application: Application, codes: list[str]) -> list[str]:
    """Record "met" for the confirmed items (`codes`, as listed on the confirmation page) that
    are still unassessed; returns the codes recorded."""
    confirmed = set(codes)
    recorded: list[str] = []
    with transaction.atomic():
        versions = dict(
            ReviewFinding.objects.filter(application=application).values_list("item_id", "version")
        )
        for item in remaining_items(application):
            if item.code not in confirmed:
                continue
            services.record_finding(
                actor=actor,
                application=application,
                item=item,
                finding=FindingValue.MET,
                expected_version=versions.get(item.pk, 0),
            )
            recorded.append(item.code)
        if recorded:
            audit(
                actor=actor,
                action="ssmark.application.findings_bulk_met",
                target=application,
                data={"items": recorded},
            )
    return recorded
