from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from ssmark.applications.models import ApplicationStatus

register = template.Library()

STATUS_CLASS = {
    ApplicationStatus.DRAFT: "",
    ApplicationStatus.SUBMITTED: "warn",
    ApplicationStatus.IN_FIRST_REVIEW: "warn",
    ApplicationStatus.RETURNED: "bad",
    ApplicationStatus.RESUBMITTED: "warn",
    ApplicationStatus.FIRST_REVIEW_PASSED: "ok",
    ApplicationStatus.FIRST_REVIEW_REJECTED: "bad",
    ApplicationStatus.APPROVED: "ok",
    ApplicationStatus.COMMITTEE_REJECTED: "bad",
    ApplicationStatus.WITHDRAWN: "",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASS.get(status, "")  # type: ignore[call-overload]


@register.simple_tag
def kind_label(kind: str, points: int, item: Any) -> str:
    """必須 / 5点 / 0–5点 (English: mandatory / 5 points / graded 0–5)."""
    if kind == "mandatory":
        return _("Mandatory")
    if kind == "graded":
        return _("Graded %(min)s–%(max)s") % {"min": item.grade_min or 0, "max": item.grade_max}
    return _("%(points)s points") % {"points": points}


@register.filter
def filesize(size: int | None) -> str:
    size = int(size or 0)
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@register.filter
def mb_bytes(mb: int) -> int:
    return int(mb) * 1024 * 1024


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
