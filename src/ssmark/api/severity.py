"""A finding's severity band from its CVSS base score (bands: `SSMARK_SEVERITY_BANDS`)."""

from __future__ import annotations

from django.conf import settings


def severity_of(base: float | None) -> str:
    """critical / high / medium / low by the lowest score of each band; else none."""
    if base is None:
        return "none"
    bands = sorted(settings.SSMARK_SEVERITY_BANDS.items(), key=lambda kv: -kv[1])
    for name, lowest in bands:
        if base >= lowest:
            return str(name)
    return "none"
