from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ssmark.accounts.models import Role, User
from ssmark.accounts.throttle import client_address
from ssmark.core.models import audit
from ssmark.core.query import page_param, text_param
from ssmark.core.refusals import Refusal, show_refusal, show_refusal_on_form

from . import services, throttle
from .forms import AcceptForm, BilingualPasswordResetForm, InvitationForm
from .models import Invitation


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- Invitations ------------------------------------------------------------------------------


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not services.invitable_roles(actor):
        raise Http404
    form = InvitationForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invite(
                actor=actor,
                email=data["email"],
                organisation=data["organisation"],
                roles=data["roles"],
                family_name=data["family_name"],
                given_name=data["given_name"],
            )
        except Refusal as exc:
            show_refusal_on_form(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
            return redirect("people:invitations")
    listing = services.visible_invitations(actor).select_related("organisation", "invited_by")
    page = Paginator(listing, 50).get_page(page_param(request))
    context = {"form": form, "page": page, "days": settings.INVITATION_VALID_DAYS}
    return render(request, "people/invitations.html", context)


def _visible_invitation(request: HttpRequest, pk: int) -> Invitation:
    return get_object_or_404(services.visible_invitations(_actor(request)), pk=pk)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _visible_invitation(request, pk)
    try:
        services.resend(actor=_actor(request), invitation=invitation)
    except Refusal as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("people:invitations")


@login_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _visible_invitation(request, pk)
    if request.method == "POST":
        try:
            services.revoke(actor=_actor(request), invitation=invitation)
        except Refusal as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("The invitation was revoked; its link no longer works."))
        return redirect("people:invitations")
    return render(request, "people/invitation_revoke.html", {"invitation": invitation})


@never_cache  # the page of a secret link is not kept by caches (as Django's reset pages)
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(
            request,
            "people/accept_invalid.html",
            {"message": services.ERROR_LINK_INVALID},
            status=404,
        )
    initial = {"family_name": invitation.family_name, "given_name": invitation.given_name}
    form = AcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.accept(
                token=token,
                family_name=data["family_name"],
                given_name=data["given_name"],
                password=data["password1"],
            )
        except Refusal as exc:
            show_refusal_on_form(form, exc, "password1" if exc.field == "password" else None)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. Your account is ready."))
            return redirect("core:home")
    return render(request, "people/accept.html", {"form": form, "invitation": invitation})


# --- Password reset and change ----------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = BilingualPasswordResetForm
    template_name = "people/password_reset_form.html"
    email_template_name = "people/email/password_reset.txt"
    subject_template_name = "people/email/password_reset_subject.txt"
    success_url = reverse_lazy("people:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"]
        if not throttle.allow(email=email, ip_address=client_address(self.request)):
            # The same answer as for any address: nobody learns that they were throttled
            # or whether the address exists.
            return HttpResponseRedirect(str(self.success_url))
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "people/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        services.end_other_sessions(user, keep=None)
        audit(actor=user, action="ssmark.user.password_reset", target=user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "people/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "people/password_change.html"
    success_url = reverse_lazy("people:sessions")

    def form_valid(self, form: Any) -> HttpResponse:
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # keeps this session (update_session_auth_hash)
        # ... under a new key (cycle_key): the session list follows it.
        services.session_key_changed(old_key, self.request.session.session_key)
        user = form.user
        ended = services.end_other_sessions(user, keep=self.request.session.session_key)
        audit(actor=user, action="ssmark.user.password_changed", target=user, data={"ended": ended})
        messages.success(
            self.request,
            _("Your password was changed. Your other sessions were ended (%(n)d).") % {"n": ended},
        )
        return response


# --- Sessions ---------------------------------------------------------------------------------


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    current = request.session.session_key
    if request.method == "POST":
        if request.POST.get("action") == "end_others":
            ended = services.end_other_sessions(user, keep=current)
            messages.success(request, _("%(n)d other session(s) ended.") % {"n": ended})
        else:
            try:
                session_id = int(request.POST.get("session", ""))
            except ValueError:
                raise Http404 from None
            if not services.end_session(user=user, session_id=session_id):
                raise Http404
            messages.success(request, _("The session was ended."))
        return redirect("people:sessions")
    rows = services.live_sessions(user)
    return render(request, "people/sessions.html", {"rows": rows, "current": current})


# --- Accounts (administrators) ----------------------------------------------------------------


def _administrator(request: HttpRequest) -> User:
    actor = _actor(request)
    if not (actor.is_active and actor.has_role(Role.ADMINISTRATOR)):
        raise Http404
    return actor


@login_required
def users(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    query = text_param(request, "q")
    listing = User.objects.select_related("organisation").order_by("username")
    if query:
        listing = listing.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(last_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    page = Paginator(listing, 50).get_page(page_param(request))
    return render(request, "people/users.html", {"page": page, "q": query})


@login_required
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _administrator(request)
    target = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        try:
            services.set_active(actor=actor, user=target, active=active)
        except Refusal as exc:
            show_refusal(request, exc)
        else:
            messages.success(
                request,
                _("The account was reactivated.") if active else _("The account was deactivated."),
            )
        return redirect("people:users")
    return render(request, "people/user_active.html", {"target": target})
