"""Pages: an organisation's webhook endpoints (add, change, rotate the secret, remove) and
each endpoint's delivery log. Only the people who manage the organisation's webhooks see
them; an endpoint of another organisation is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ssmark.core.refusals import Refusal, show_refusal_on_form

from . import services
from .models import Endpoint, EventType

ERROR_CONFIRM = _("Tick the box to confirm.")


class EndpointForm(forms.Form):
    url = forms.URLField(label=_("Address (https://…)"), max_length=500, assume_scheme="https")
    description = forms.CharField(
        label=_("What the endpoint is for"), max_length=200, required=False
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


def _organisation(request: HttpRequest) -> Any:
    org = getattr(request.user, "organisation", None)
    if not services.can_manage(request.user, org):
        raise Http404
    return org


def _endpoint(request: HttpRequest, pk: int) -> Endpoint:
    org = _organisation(request)
    return get_object_or_404(
        Endpoint.objects.select_related("organisation"), pk=pk, organisation=org
    )


def _edit_form(item: Endpoint) -> EndpointForm:
    return EndpointForm(
        initial={
            "url": item.url,
            "description": item.description,
            "events": item.events,
            "active": item.active,
        }
    )


def _endpoint_page(
    request: HttpRequest, item: Endpoint, form: EndpointForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    """The endpoint's page: its form, the newest 100 deliveries, a new secret when rotated."""
    deliveries = item.deliveries.select_related("event").order_by("-pk")[:100]
    context = {"endpoint": item, "form": form, "deliveries": deliveries, "secret": secret}
    return render(request, "webhooks/endpoint.html", context, status=status)


@login_required
def endpoints(request: HttpRequest) -> HttpResponse:
    org = _organisation(request)
    secret = ""
    created: Endpoint | None = None
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                created, secret = services.create_endpoint(
                    actor=request.user,
                    organisation=org,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    description=form.cleaned_data["description"],
                    active=form.cleaned_data["active"],
                )
            except Refusal as exc:
                show_refusal_on_form(form, exc)
            else:
                form = EndpointForm()
    else:
        form = EndpointForm()
    rows = Endpoint.objects.filter(organisation=org)
    status = 400 if request.method == "POST" and not secret else 200
    context = {"form": form, "endpoints": rows, "secret": secret, "created": created, "org": org}
    return render(request, "webhooks/endpoints.html", context, status=status)


@login_required
def endpoint(request: HttpRequest, pk: int) -> HttpResponse:
    item = _endpoint(request, pk)
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                services.update_endpoint(
                    actor=request.user,
                    endpoint=item,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    active=form.cleaned_data["active"],
                    description=form.cleaned_data["description"],
                )
            except Refusal as exc:
                show_refusal_on_form(form, exc)
            else:
                messages.success(request, gettext("The webhook endpoint was saved."))
                return redirect("webhooks:endpoint", pk=item.pk)
    else:
        form = _edit_form(item)
    return _endpoint_page(request, item, form, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def rotate(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _endpoint(request, pk)
    if request.POST.get("confirm") != "on":
        messages.error(request, str(ERROR_CONFIRM))
        return redirect("webhooks:endpoint", pk=item.pk)
    secret = services.rotate_secret(actor=request.user, endpoint=item)
    return _endpoint_page(request, item, _edit_form(item), secret=secret)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = _endpoint(request, pk)
    if request.POST.get("confirm") != "on":
        messages.error(request, str(ERROR_CONFIRM))
        return redirect("webhooks:endpoint", pk=item.pk)
    services.delete_endpoint(actor=request.user, endpoint=item)
    messages.success(request, gettext("The webhook endpoint was removed."))
    return redirect("webhooks:endpoints")
