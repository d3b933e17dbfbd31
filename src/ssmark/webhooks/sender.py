"""Sending queued deliveries (`ssmark send-webhooks`, also run by `send-notifications`' cron).

- Each due delivery is first claimed (an UPDATE that only one worker can win), so two runs,
  one after another or at once, never send one twice; a delivered one is never sent again.
- One POST per attempt, with a timeout (`SSMARK_WEBHOOK_TIMEOUT_SECONDS`), signed per
  Standard Webhooks (the event id is the `webhook-id` on every attempt). 2xx is delivered.
- A failure is retried after `SSMARK_WEBHOOK_RETRY_SECONDS`, doubling each time, up to
  `SSMARK_WEBHOOK_MAX_ATTEMPTS` attempts; then the delivery is given up. After
  `SSMARK_WEBHOOK_DISABLE_AFTER` given-up deliveries in a row the endpoint is switched off
  and the organisation's people who manage it are told.
- SSRF guard: the host is resolved once and every address must be public (no loopback,
  private, link-local, reserved or multicast) unless `SSMARK_WEBHOOK_ALLOW_PRIVATE`; the
  connection then goes to that checked address (no second lookup), and redirects are not
  followed.
"""

from __future__ import annotations

import datetime
import http.client
import ipaddress
import json
import socket
import ssl
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ssmark.core import clock

from . import signing
from .models import Delivery, DeliveryStatus, Endpoint

ERROR_ADDRESS_NOT_ALLOWED = _("The address %(address)s is not public; webhooks are not sent there.")
ERROR_BAD_URL = _("Only http:// and https:// addresses can receive webhooks.")
ERROR_UNRESOLVED = _("The host name could not be resolved.")
NOTICE_SUBJECT = _("A webhook endpoint was switched off")
NOTICE_BODY = _(
    "Deliveries to %(url)s failed again and again (last: %(reason)s), so the endpoint was "
    "switched off. Check the receiver, then switch the endpoint on again on its page."
)


class DeliveryRefused(Exception):
    pass


@dataclass(frozen=True)
class Result:
    ok: bool
    status_code: int | None
    error: str


def check_address(url: str) -> tuple[str, int, str]:
    """(checked IP, port, scheme) for `url`, or DeliveryRefused when it may not be used."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryRefused(str(ERROR_BAD_URL))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise DeliveryRefused(str(ERROR_UNRESOLVED)) from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise DeliveryRefused(str(ERROR_UNRESOLVED))
    if not settings.SSMARK_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise DeliveryRefused(str(ERROR_ADDRESS_NOT_ALLOWED % {"address": address}))
    return addresses[0], port, parts.scheme


def post(url: str, body: bytes, headers: dict[str, str]) -> Result:
    """One attempt: POST to the checked address, with the per-attempt timeout."""
    try:
        ip, port, scheme = check_address(url)
    except DeliveryRefused as exc:
        return Result(ok=False, status_code=None, error=str(exc))
    parts = urlsplit(url)
    host = parts.hostname or ""
    timeout = settings.SSMARK_WEBHOOK_TIMEOUT_SECONDS
    connection: http.client.HTTPConnection
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def pinned(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        return socket.create_connection((ip, address[1]), *args, **kwargs)

    connection._create_connection = pinned  # type: ignore[attr-defined]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request(
            "POST", path, body=body, headers={**headers, "User-Agent": "ssmark-webhooks/1"}
        )
        response = connection.getresponse()
        response.read(65536)
        code = response.status
    except (OSError, http.client.HTTPException) as exc:
        return Result(ok=False, status_code=None, error=f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()
    if 200 <= code < 300:
        return Result(ok=True, status_code=code, error="")
    return Result(ok=False, status_code=code, error=f"HTTP {code}")


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    lease = now + datetime.timedelta(seconds=settings.SSMARK_WEBHOOK_TIMEOUT_SECONDS * 3 + 30)
    return (
        Delivery.objects.filter(pk=delivery_id)
        .filter(_claimable(now))
        .update(status=DeliveryStatus.SENDING, claimed_until=lease)
        == 1
    )


def _claimable(now: datetime.datetime) -> Q:
    """Waiting, or claimed by a worker that stopped before it recorded the attempt."""
    pending = Q(status=DeliveryStatus.PENDING) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    return pending | abandoned


def backoff(attempts: int) -> datetime.timedelta:
    """The wait before the next attempt after `attempts` failed ones (doubling)."""
    return datetime.timedelta(seconds=settings.SSMARK_WEBHOOK_RETRY_SECONDS * 2 ** (attempts - 1))


def _notify_disabled(endpoint: Endpoint) -> None:
    from ssmark.notifications.services import members, notify, recipients

    from .audience import managing_roles

    people = members(endpoint.organisation, *managing_roles(endpoint.organisation))
    texts = {}
    for language in ("ja", "en"):  # Japanese first; read by people of either language
        with translation.override(language):
            texts[language] = (
                str(NOTICE_SUBJECT),
                str(NOTICE_BODY % {"url": endpoint.url, "reason": endpoint.disabled_reason}),
            )
    subject = f"{texts['ja'][0]} / {texts['en'][0]}"
    body = f"{texts['ja'][1]}\n\n{texts['en'][1]}"
    notify(
        kind="webhook_disabled",
        event_key=f"webhook-disabled:{endpoint.pk}:{endpoint.consecutive_failures}",
        to=recipients(people),
        subject=subject,
        body=body,
        link=reverse("webhooks:endpoint", args=[endpoint.pk]),
    )


def _record(delivery: Delivery, result: Result, now: datetime.datetime) -> None:
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error[:500]
        delivery.claimed_until = None
        if result.ok:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures"])
        elif delivery.attempts >= settings.SSMARK_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            endpoint.consecutive_failures += 1
            fields = ["consecutive_failures"]
            if endpoint.active and (
                endpoint.consecutive_failures >= settings.SSMARK_WEBHOOK_DISABLE_AFTER
            ):
                endpoint.active = False
                endpoint.disabled_reason = result.error[:300]
                fields += ["active", "disabled_reason"]
                _notify_disabled(endpoint)
            endpoint.save(update_fields=fields)
        else:
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()


def attempt(delivery: Delivery, now: datetime.datetime | None = None) -> Result:
    now = now or clock.now()
    event = delivery.event
    body = json.dumps(event.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    headers = signing.headers(delivery.endpoint.secret, event.event_id, timestamp, body)
    result = post(delivery.endpoint.url, body, headers)
    _record(delivery, result, now)
    return result


def send_due(*, limit: int = 200, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the deliveries that are due (at most `limit`); counts per outcome."""
    now = now or clock.now()
    due = list(
        Delivery.objects.filter(next_attempt_at__lte=now, endpoint__active=True)
        .filter(_claimable(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    for pk in due:
        if not _claim(pk, now):
            continue
        delivery = Delivery.objects.select_related("endpoint", "event").get(pk=pk)
        result = attempt(delivery, now)
        if result.ok:
            counts["delivered"] += 1
        elif delivery.status == DeliveryStatus.FAILED:
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
    return counts
