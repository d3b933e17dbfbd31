"""Contacts, submitting and withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..forms import ContactsForm, SubmitForm, WithdrawForm
from ..states import EDITABLE_STATES
from .common import get_own_application, get_visible_application
from .detail import _common, _page_data

# --- contacts, submit, withdraw -------------------------------------------------------------


@login_required
def contacts_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_visible_application(request, pk)
    initial = {
        f: getattr(application, f)
        for f in (
            "service_name",
            "responsible_manager",
            "responsible_manager_email",
            "pim_manager",
            "pim_manager_email",
        )
    }
    form = ContactsForm(initial=initial)
    if request.method == "POST":
        application = get_own_application(request, pk)
        form = ContactsForm(request.POST)
        if form.is_valid():
            try:
                services.update_contacts(
                    actor=request.user, application=application, **form.cleaned_data
                )
            except services.ApplicationError as exc:
                form.add_error(None, exc.text)
            else:
                messages.success(request, _("Contacts saved."))
                return redirect("applications:contacts", pk=application.pk)
    context = _common(request, application)
    context["form"] = form
    return render(request, "applications/contacts.html", context)


@login_required
def submit_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_own_application(request, pk)
    if application.status not in EDITABLE_STATES:
        messages.info(request, _("This application has already been submitted."))
        return redirect("applications:detail", pk=application.pk)
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(actor=request.user, application=application)
        except services.ApplicationError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(
                request,
                _("The application was submitted to %(body)s.")
                % {"body": application.reception_body.name},
            )
            return redirect("applications:detail", pk=application.pk)
    context = _common(request, application)
    context.update(_page_data(application))
    context["incidents_declared"] = services.incidents_declared(application)
    context["form"] = form
    from ssmark.fees.services import review_fee_status

    context["review_fee"] = review_fee_status(application)
    return render(request, "applications/submit.html", context)


@login_required
def withdraw_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_own_application(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except services.ApplicationError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("The application was withdrawn."))
            return redirect("applications:detail", pk=application.pk)
    context = _common(request, application)
    context["form"] = form
    return render(request, "applications/withdraw.html", context)
