from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ssmark.applications.models import ApplicationStatus
from ssmark.catalog.models import Item, ItemKind
from ssmark.reviews.people import person_name

register = template.Library()

# Stored files are served only by the applications app's authorised download view.
FILE_KINDS = {
    "Evidence": "evidence",
    "ScanReport": "scan",
    "SecurityAuditRecord": "audit",
    "FindingStatement": "statement",
}


@register.filter
def item_comments(comments: Mapping[str, Any] | None, code: str) -> Any:
    """`return_comments|item_comments:item.code` → that item's comments (or [])."""
    if not comments:
        return []
    return comments.get(code, [])


register.filter("person", person_name)


@register.filter
def status_label(status: str) -> Any:
    try:
        return ApplicationStatus(status).label
    except ValueError:
        return status


@register.simple_tag
def kind_label(item: Item, review_type: str) -> str:
    kind = item.kind_for(review_type)
    if kind == ItemKind.MANDATORY:
        return str(_("Mandatory"))
    if kind == ItemKind.GRADED:
        return str(_("Graded %(min)s–%(max)s") % {"min": item.grade_min, "max": item.grade_max})
    return str(_("%(n)s points") % {"n": item.points_for(review_type)})


@register.simple_tag
def file_url(application: Any, stored: Any) -> str:
    """The authorised download address of an evidence file, scan report, audit report…"""
    kind = FILE_KINDS.get(type(stored).__name__)
    if kind is None or not getattr(stored, "has_file", False):
        return ""
    try:
        return reverse("applications:file", args=[application.pk, kind, stored.pk])
    except NoReverseMatch:  # pragma: no cover - the applications app always defines it
        return ""


@register.filter
def claim_label(side: Mapping[str, Any] | None) -> Any:
    """A snapshot answer (claim / grade) for people: 'Met', 'Not met', 'Grade 3', '—'."""
    side = side or {}
    if side.get("grade") is not None:
        return _("Grade %(grade)s") % {"grade": side["grade"]}
    return {"met": _("Met"), "unmet": _("Not met")}.get(side.get("claim") or "", "—")


@register.filter
def days_since(day: Any) -> int:
    """Days from `day` to today (the one clock): how long an application has been waiting."""
    from ssmark.core import clock

    return (clock.today() - day).days if day else 0
