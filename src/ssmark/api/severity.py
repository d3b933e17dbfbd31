"""A finding's severity band from its CVSS base score (bands: `SSMARK_SEVERITY_BANDS`)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

#: The bands a finding is put in (`?severity=` of the findings list, `severity` of a finding).
SEVERITIES = ["critical", "high", "medium", "low", "none"]


def severity_of(base: float | None) -> str:
    """critical / high / medium / low by the lowest score of each band; else none."""
    if base is None:
        return "none"
    bands = sorted(settings.SSMARK_SEVERITY_BANDS.items(), key=lambda kv: -kv[1])
    for name, lowest in bands:
        if base >= lowest:
            return str(name)
    return "none"


def severity_range(name: str) -> Q:
    """The findings (ScanFinding rows) whose base score falls in band `name`."""
    if name == "none":
        return Q(base__isnull=True) | Q(
            base__lt=min(settings.SSMARK_SEVERITY_BANDS.values(), default=0)
        )
    lowest = settings.SSMARK_SEVERITY_BANDS[name]
    higher = [v for v in settings.SSMARK_SEVERITY_BANDS.values() if v > lowest]
    q = Q(base__gte=lowest)
    if higher:
        q &= Q(base__lt=min(higher))
    return q
