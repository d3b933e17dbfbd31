"""Sign-in throttling: too many failures for one user name or one address lock sign-in."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import LoginFailure


def _window_start() -> datetime:
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_locked(*, username: str, ip_address: str | None) -> bool:
    query = Q(username__iexact=username)
    if ip_address:
        query |= Q(ip_address=ip_address)
    recent = LoginFailure.objects.filter(query, created__gte=_window_start())
    if ip_address:
        # An address may try several user names, but not without bound.
        by_ip = recent.filter(ip_address=ip_address).count()
        if by_ip >= settings.LOGIN_FAILURE_LIMIT * 4:
            return True
    return recent.filter(username__iexact=username).count() >= settings.LOGIN_FAILURE_LIMIT


def record_failure(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address)
    # Old rows carry no information once outside the window.
    LoginFailure.objects.filter(created__lt=_window_start() - timedelta(days=1)).delete()


def clear_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
