"""Password-reset throttling: a few requests per address and per client within a window;
beyond that nothing is sent, and the page answers exactly as it does for any address."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from ssmark.core import clock

from .models import ResetRequest


def _window_start() -> datetime:
    return clock.now() - timedelta(seconds=settings.PASSWORD_RESET_WINDOW_SECONDS)


def allow(*, email: str, ip_address: str | None) -> bool:
    """Record a reset request; True when it may be answered with an e-mail."""
    start = _window_start()
    recent = ResetRequest.objects.filter(created__gte=start)
    by_email = recent.filter(email__iexact=email).count()
    by_ip = recent.filter(ip_address=ip_address).count() if ip_address else 0
    ResetRequest.objects.create(email=email[:254], ip_address=ip_address)
    ResetRequest.objects.filter(created__lt=start - timedelta(days=1)).delete()
    limit = settings.PASSWORD_RESET_LIMIT
    return by_email < limit and by_ip < limit * 4
