"""Record each sign-in as a session the person can see and end; forget it at sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from ssmark.accounts.throttle import client_address

from .models import UserSession


@receiver(user_logged_in, dispatch_uid="people.session_started")
def session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )


@receiver(user_logged_out, dispatch_uid="people.session_ended")
def session_ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()
