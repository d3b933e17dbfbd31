from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssmark.core.models import audit

from . import throttle, totp
from .forms import CodeForm, SignInCodeForm, SignInForm
from .middleware import (
    NEXT_SESSION_KEY,
    PENDING_SESSION_KEY,
    VERIFIED_SESSION_KEY,
    mark_signed_in,
    needs_second_factor,
)
from .models import User

ERROR_LOCKED = "Too many failed sign-ins. Try again later."
ERROR_BAD_CREDENTIALS = "The user name or password is not correct."
ERROR_BAD_CODE = "The code is not correct."
ERROR_CODES_LOCKED = "Too many wrong codes for this account. Try again later."
ERROR_REQUIRED = "Your role requires two-factor sign-in; it cannot be turned off."


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(settings.LOGIN_REDIRECT_URL)


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        attempt = throttle.begin(
            kind=throttle.PASSWORD, username=username, ip_address=throttle.client_address(request)
        )
        if attempt is None:
            form.add_error(None, _(ERROR_LOCKED))
            return render(request, "accounts/login.html", {"form": form}, status=429)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            form.add_error(None, _(ERROR_BAD_CREDENTIALS))
        else:
            assert isinstance(user, User)
            attempt.succeeded()
            if user.totp_enabled:
                request.session[PENDING_SESSION_KEY] = user.pk
                request.session[NEXT_SESSION_KEY] = _next_url(request)
                return redirect("accounts:login_code")
            login(request, user)
            mark_signed_in(request, second_factor=False)
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def sign_in_code(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_SESSION_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = throttle.begin(
            kind=throttle.CODE,
            username=user.username,
            ip_address=throttle.client_address(request),
        )
        if attempt is None:
            form.add_error(None, _(ERROR_CODES_LOCKED))
            return render(request, "accounts/login_code.html", {"form": form}, status=429)
        if totp.verify_any(user, form.cleaned_data["code"]):
            attempt.succeeded()
            next_url = request.session.get(NEXT_SESSION_KEY) or settings.LOGIN_REDIRECT_URL
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(PENDING_SESSION_KEY, None)
            mark_signed_in(request, second_factor=True)
            left = totp.unused_recovery_codes(user)
            if left <= settings.SSMARK_RECOVERY_CODES_WARN:
                messages.warning(
                    request,
                    _("%(count)s unused recovery codes left: make new ones on the security page.")
                    % {"count": left},
                )
            return redirect(next_url)
        form.add_error("code", _(ERROR_BAD_CODE))
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


def _code_checked(request: HttpRequest, user: User, form: CodeForm) -> bool:
    """A code from the app, counted like the sign-in's codes (a stolen session cannot guess
    its way to new recovery codes or to turning the second factor off)."""
    attempt = throttle.begin(
        kind=throttle.CODE, username=user.username, ip_address=throttle.client_address(request)
    )
    if attempt is None:
        form.add_error(None, _(ERROR_CODES_LOCKED))
        return False
    if totp.verify(user, form.cleaned_data["code"]):
        attempt.succeeded()
        return True
    form.add_error("code", _(ERROR_BAD_CODE))
    return False


ENROL_SESSION_KEY = "ssmark_totp_pending"
RECOVERY_SESSION_KEY = "ssmark_recovery_codes"


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (QR code, confirming code, recovery codes) or off."""
    user = request.user
    assert isinstance(user, User)
    form = CodeForm(request.POST or None)
    pending_secret = request.session.get(ENROL_SESSION_KEY)
    required = bool(settings.SSMARK_STAFF_2FA_REQUIRED and needs_second_factor(user))
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start" and not user.totp_enabled:
            request.session[ENROL_SESSION_KEY] = totp.new_secret()
            return redirect("accounts:security")
        if action == "confirm" and pending_secret and form.is_valid():
            if totp.verify(user, form.cleaned_data["code"], secret=pending_secret):
                with transaction.atomic():
                    user.totp_secret, user.totp_enabled = pending_secret, True
                    user.save(update_fields=["totp_secret", "totp_enabled"])
                    codes = totp.new_recovery_codes(user)
                    audit(actor=user, action="ssmark.account.two_factor_enabled", target=user)
                del request.session[ENROL_SESSION_KEY]
                request.session[VERIFIED_SESSION_KEY] = True  # they just entered a code
                request.session[RECOVERY_SESSION_KEY] = codes
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("accounts:security")
            form.add_error("code", _(ERROR_BAD_CODE))
        renewing = action == "recovery" and user.totp_enabled and form.is_valid()
        if renewing and _code_checked(request, user, form):
            with transaction.atomic():
                request.session[RECOVERY_SESSION_KEY] = totp.new_recovery_codes(user)
                audit(actor=user, action="ssmark.account.recovery_codes_renewed", target=user)
            return redirect("accounts:security")
        if action == "disable" and user.totp_enabled and form.is_valid():
            if required:
                form.add_error(None, _(ERROR_REQUIRED))
            elif _code_checked(request, user, form):
                totp.turn_off(user, actor=user)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:security")
    provisioning_uri = totp.provisioning_uri(user, pending_secret) if pending_secret else ""
    context = {
        "form": form,
        "pending_secret": pending_secret,
        "provisioning_uri": provisioning_uri,
        "qr_svg": mark_safe(totp.qr_svg(provisioning_uri)) if provisioning_uri else "",  # noqa: S308 - our own SVG, no user text
        "required": required,
        "recovery_codes": request.session.pop(RECOVERY_SESSION_KEY, None),
        "recovery_left": totp.unused_recovery_codes(user) if user.totp_enabled else 0,
    }
    return render(request, "accounts/security.html", context)
