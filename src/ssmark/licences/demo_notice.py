"""Whether the demo registry is loaded, for the notice on every registry page (issue 9, point 11).

The demo registry lists the real companies and services of seed 002, but its licence numbers and
dates are invented (see demo.py). `ssmark demo` records an audit entry when it loads them; while
that entry exists, the registry and verification pages say so. A registry imported from the
scheme's real records (`ssmark import-registry`) records no such entry and shows no notice.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ssmark.core.models import AuditEntry, audit

from . import snapshot

ACTION = "ssmark.demo.registry_loaded"

NOTICE = _(
    "Demo data: the services and companies are those of the scheme's published list, but the "
    "licence numbers and dates shown here are invented."
)


def mark_loaded(target: Any, count: int) -> None:
    """Record (once) that the demo registry was loaded; `target` is one of its licences."""
    if not AuditEntry.objects.filter(action=ACTION).exists():
        audit(actor=None, action=ACTION, target=target, data={"licences": count})


def demo_loaded(snap: snapshot.Snapshot | None = None) -> bool:
    """Is the demo registry loaded? Memoised on the public snapshot (renewed when licences
    change, which loading the demo does)."""
    snap = snap or snapshot.current()
    return bool(snap.remember(("demo-registry",), _query))


def prime(snap: snapshot.Snapshot) -> None:
    """Read the flag as the snapshot is loaded, so the public pages never query for it."""
    snap.remember(("demo-registry",), _query)


def _query() -> bool:
    return AuditEntry.objects.filter(action=ACTION).exists()
