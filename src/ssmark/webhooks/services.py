"""Registering, changing, rotating and removing an organisation's webhook endpoints.

Only the people who act for the organisation manage its endpoints (`audience.MANAGERS`:
applicant members for an ISP, reception staff for a reception body, the secretariat and
administrators for the secretariat). The signing secret is shown once, when it is made or
rotated. Every change is audited (never the secret).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Organisation, acts_for
from ssmark.core.models import audit
from ssmark.core.refusals import InvalidInput, NotAllowed

from . import signing
from .audience import managing_roles
from .models import Endpoint, EventType
from .sender import DeliveryRefused, check_address

ERROR_NOT_MANAGER = _("Only the people who act for this organisation manage its webhooks.")
ERROR_NO_EVENTS = _("Choose at least one event.")
ERROR_UNKNOWN_EVENT = _("Unknown event “%(event)s”.")


def can_manage(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and acts_for(
        user, organisation.pk, *managing_roles(organisation)
    )


def _require(actor: Any, organisation: Organisation) -> None:
    if not can_manage(actor, organisation):
        raise NotAllowed(ERROR_NOT_MANAGER)


def _clean_events(events: Iterable[str]) -> list[str]:
    chosen = sorted(set(events))
    if not chosen:
        raise InvalidInput(ERROR_NO_EVENTS, field="events")
    for event in chosen:
        if event not in EventType.values:
            raise InvalidInput(ERROR_UNKNOWN_EVENT, {"event": event}, field="events")
    return chosen


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        check_address(url)
    except DeliveryRefused as exc:
        raise InvalidInput(str(exc), field="url") from None
    return url


def create_endpoint(
    *,
    actor: Any,
    organisation: Organisation,
    url: str,
    events: Iterable[str],
    description: str = "",
    active: bool = True,
) -> tuple[Endpoint, str]:
    """A new endpoint (active, or created switched off); returns it with its signing secret
    (shown once)."""
    _require(actor, organisation)
    chosen = _clean_events(events)
    url = _clean_url(url)
    secret = signing.new_secret()
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            organisation=organisation,
            url=url,
            events=chosen,
            description=description.strip()[:200],
            secret=secret,
            active=active,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            actor=actor,
            action="ssmark.webhook.endpoint_created",
            target=endpoint,
            data={"url": url, "events": chosen, "active": active},
        )
    return endpoint, secret


def update_endpoint(
    *,
    actor: Any,
    endpoint: Endpoint,
    url: str,
    events: Iterable[str],
    active: bool,
    description: str = "",
) -> Endpoint:
    """Change the address, events or state; switching it on again clears the failure count."""
    _require(actor, endpoint.organisation)
    chosen = _clean_events(events)
    url = _clean_url(url)
    with transaction.atomic():
        before = {"url": endpoint.url, "events": endpoint.events, "active": endpoint.active}
        if active and not endpoint.active:
            endpoint.consecutive_failures = 0
            endpoint.disabled_reason = ""
        endpoint.url, endpoint.events, endpoint.active = url, chosen, active
        endpoint.description = description.strip()[:200]
        endpoint.save()
        audit(
            actor=actor,
            action="ssmark.webhook.endpoint_changed",
            target=endpoint,
            data={"before": before, "after": {"url": url, "events": chosen, "active": active}},
        )
    return endpoint


def rotate_secret(*, actor: Any, endpoint: Endpoint) -> str:
    """A new signing secret (the old one stops at once); returns it (shown once)."""
    _require(actor, endpoint.organisation)
    secret = signing.new_secret()
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
        endpoint.secret = secret
        audit(actor=actor, action="ssmark.webhook.secret_rotated", target=endpoint, data={})
    return secret


def delete_endpoint(*, actor: Any, endpoint: Endpoint) -> None:
    _require(actor, endpoint.organisation)
    with transaction.atomic():
        audit(
            actor=actor,
            action="ssmark.webhook.endpoint_deleted",
            target=endpoint,
            data={"url": endpoint.url},
        )
        endpoint.delete()
