"""Session rules that hold for every page, however the session was signed in.

- A user with two-factor sign-in on whose session has not passed the second factor (a sign-in
  through some other door: the admin, a password reset, a forced login) is signed out again and
  sent to the code page; nothing else is reachable until a code is entered.
- Staff roles must have two-factor sign-in (`SSMARK_STAFF_2FA_REQUIRED`): until it is on, their
  session reaches only the enrolment page and sign-out.
- Staff sessions end after `SSMARK_STAFF_IDLE_MINUTES` without a request; every session ends
  `SSMARK_SESSION_MAX_HOURS` after sign-in, however active.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ssmark.core import clock

from .models import User

PENDING_SESSION_KEY = "ssmark_pending_2fa_user"
NEXT_SESSION_KEY = "ssmark_next"
VERIFIED_SESSION_KEY = "ssmark_2fa_ok"
STARTED_SESSION_KEY = "ssmark_signed_in_at"
SEEN_SESSION_KEY = "ssmark_seen_at"

MSG_IDLE = _("You were signed out after a period without activity. Please sign in again.")
MSG_EXPIRED = _("Your session has reached its maximum length. Please sign in again.")


def needs_second_factor(user: User) -> bool:
    """Staff roles and anyone who may open the admin must use two-factor sign-in."""
    return bool(user.is_staff_role or user.is_staff or user.is_superuser)


def mark_signed_in(request: HttpRequest, *, second_factor: bool) -> None:
    now = clock.now().timestamp()
    request.session[STARTED_SESSION_KEY] = now
    request.session[SEEN_SESSION_KEY] = now
    request.session[VERIFIED_SESSION_KEY] = second_factor


def _open_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:login"),
        reverse("accounts:login_code"),
        reverse("accounts:logout"),
        "/i18n/",
        str(settings.STATIC_URL),
    )


class SessionRulesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            answer = self._check(request, user)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: User) -> HttpResponse | None:
        session = request.session
        now = clock.now().timestamp()
        started = session.get(STARTED_SESSION_KEY)
        if started is None:
            # Signed in without the app's sign-in (e.g. a forced login): start the clocks now.
            session[STARTED_SESSION_KEY] = started = now
        seen = float(session.get(SEEN_SESSION_KEY, now))
        if now - float(started) > settings.SSMARK_SESSION_MAX_HOURS * 3600:
            return self._sign_out(request, MSG_EXPIRED)
        if user.is_staff_role and now - seen > settings.SSMARK_STAFF_IDLE_MINUTES * 60:
            return self._sign_out(request, MSG_IDLE)
        if now - seen > 60:  # write the session at most once a minute
            session[SEEN_SESSION_KEY] = now
        path = request.path
        if user.totp_enabled and not session.get(VERIFIED_SESSION_KEY):
            # Password alone through another door: back to the code page, signed out meanwhile.
            next_url = request.get_full_path() if request.method == "GET" else ""
            logout(request)
            request.session[PENDING_SESSION_KEY] = user.pk
            request.session[NEXT_SESSION_KEY] = next_url or str(settings.LOGIN_REDIRECT_URL)
            return redirect("accounts:login_code")
        if (
            settings.SSMARK_STAFF_2FA_REQUIRED
            and not user.totp_enabled
            and needs_second_factor(user)
            and path != reverse("accounts:security")
            and not path.startswith(_open_paths())
        ):
            return redirect("accounts:security")  # the page says why
        return None

    def _sign_out(self, request: HttpRequest, message: object) -> HttpResponse:
        next_url = request.get_full_path() if request.method == "GET" else ""
        logout(request)
        messages.info(request, str(message))
        login_url = reverse("accounts:login")
        if next_url:
            login_url += "?" + urlencode({"next": next_url})
        return redirect(login_url)
