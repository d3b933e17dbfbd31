from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import throttle, totp
from .forms import CodeForm, SignInForm
from .models import User

PENDING_SESSION_KEY = "ssmark_pending_2fa_user"
ERROR_LOCKED = "Too many failed sign-ins. Try again later."
ERROR_BAD_CREDENTIALS = "The user name or password is not correct."
ERROR_BAD_CODE = "The code is not correct."


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


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
        ip = _client_ip(request)
        if throttle.is_locked(username=username, ip_address=ip):
            form.add_error(None, _(ERROR_LOCKED))
            return render(request, "accounts/login.html", {"form": form}, status=429)
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            throttle.record_failure(username=username, ip_address=ip)
            form.add_error(None, _(ERROR_BAD_CREDENTIALS))
        else:
            assert isinstance(user, User)
            throttle.clear_failures(username=username)
            if user.totp_enabled:
                request.session[PENDING_SESSION_KEY] = user.pk
                request.session["ssmark_next"] = _next_url(request)
                return redirect("accounts:login_code")
            login(request, user)
            return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def sign_in_code(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(PENDING_SESSION_KEY)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = _client_ip(request)
        if throttle.is_locked(username=user.username, ip_address=ip):
            form.add_error(None, _(ERROR_LOCKED))
        elif totp.verify(user, form.cleaned_data["code"]):
            next_url = request.session.get("ssmark_next") or settings.LOGIN_REDIRECT_URL
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url)
        else:
            throttle.record_failure(username=user.username, ip_address=ip)
            form.add_error("code", _(ERROR_BAD_CODE))
    return render(request, "accounts/login_code.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = CodeForm(request.POST or None)
    pending_secret = request.session.get("ssmark_totp_pending")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start" and not user.totp_enabled:
            request.session["ssmark_totp_pending"] = totp.new_secret()
            return redirect("accounts:security")
        if action == "confirm" and pending_secret and form.is_valid():
            if totp.verify(user, form.cleaned_data["code"], secret=pending_secret):
                user.totp_secret, user.totp_enabled = pending_secret, True
                user.save(update_fields=["totp_secret", "totp_enabled"])
                del request.session["ssmark_totp_pending"]
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("accounts:security")
            form.add_error("code", _(ERROR_BAD_CODE))
        if action == "disable" and user.totp_enabled and form.is_valid():
            if totp.verify(user, form.cleaned_data["code"]):
                user.totp_secret, user.totp_enabled = "", False
                user.save(update_fields=["totp_secret", "totp_enabled"])
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:security")
            form.add_error("code", _(ERROR_BAD_CODE))
    context = {
        "form": form,
        "pending_secret": pending_secret,
        "provisioning_uri": totp.provisioning_uri(user, pending_secret) if pending_secret else "",
        "can_use_totp": user.is_staff_role,
    }
    return render(request, "accounts/security.html", context)
