"""The person's API tokens page: make a token (shown once), see and revoke their tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import MaxValueValidator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ssmark.core.refusals import Refusal, show_refusal_on_form
from ssmark.webhooks.services import can_manage as can_manage_webhooks

from .models import ApiToken
from .tokens import create_token, revoke_token


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=[("read", _("Read only")), ("write", _("Read and write"))],
        initial="read",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.max_value = settings.SSMARK_API_TOKEN_MAX_DAYS
        days.validators.append(MaxValueValidator(settings.SSMARK_API_TOKEN_MAX_DAYS))
        days.initial = settings.SSMARK_API_TOKEN_DAYS


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    shown_once = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                made = create_token(
                    actor=request.user,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    read_only=form.cleaned_data["scope"] == "read",
                )
            except Refusal as exc:
                show_refusal_on_form(form, exc)
            else:
                shown_once = made.secret
                form = TokenForm()
    else:
        form = TokenForm()
    rows = ApiToken.objects.filter(user_id=getattr(request.user, "pk", 0))
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": rows,
            "shown_once": shown_once,
            "manages_webhooks": can_manage_webhooks(
                request.user, getattr(request.user, "organisation", None)
            ),
        },
        status=400 if request.method == "POST" and not shown_once else 200,
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponseBase:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.POST.get("confirm") != "on":
        messages.error(request, gettext("Tick the box to confirm that the token is revoked."))
        return redirect("api:tokens")
    revoke_token(actor=request.user, token=token)
    messages.success(request, gettext("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")
