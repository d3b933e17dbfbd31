"""Queueing an event: one `Event` row with a stable id and one `Delivery` per endpoint that
wants it, written in the caller's transaction (so an event exists only if its change does)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from ssmark.core import clock

from .models import Delivery, Endpoint, Event


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe values (dates as ISO strings)."""
    import json

    return dict(json.loads(json.dumps(data, cls=DjangoJSONEncoder)))


def emit(event_type: str, data: dict[str, Any], organisation_ids: Iterable[int]) -> Event | None:
    """Queue `event_type` for the active endpoints of these organisations that asked for it.
    Returns the event (None when no endpoint wants it: nothing is stored)."""
    ids = set(organisation_ids)
    if not ids:
        return None
    endpoints = [
        e
        for e in Endpoint.objects.filter(organisation_id__in=ids, active=True)
        if e.wants(event_type)
    ]
    if not endpoints:
        return None
    now = clock.now()
    with transaction.atomic():
        event = Event.objects.create(
            event_id=f"evt_{uuid.uuid4().hex}",
            type=event_type,
            payload={
                "type": event_type,
                "timestamp": now.isoformat().replace("+00:00", "Z"),
                "data": _plain(data),
            },
        )
        Delivery.objects.bulk_create(
            [Delivery(endpoint=e, event=event, next_attempt_at=now) for e in endpoints]
        )
    return event
