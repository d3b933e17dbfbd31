"""The list of the user's applications and the form to start one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ssmark.catalog.models import ReviewType

from .. import services
from ..forms import ApplicationForm
from ..permissions import own_applications

# --- list & create --------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    applications = (
        own_applications(request.user)
        .select_related("reception_body", "criteria_set")
        .order_by("-updated")
    )
    return render(
        request,
        "applications/list.html",
        {
            "applications": applications,
            "is_applicant": request.user.has_role("applicant"),  # type: ignore[union-attr]
        },
    )


@login_required
def application_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_role("applicant") or user.organisation is None:
        raise PermissionDenied
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.create_application(
                actor=user,
                service_name=data["service_name"],
                reception_body=data["reception_body"],
                scheme=data["scheme"],
                review_type=ReviewType.NEW,
                responsible_manager=data["responsible_manager"],
                responsible_manager_email=data["responsible_manager_email"],
                pim_manager=data["pim_manager"],
                pim_manager_email=data["pim_manager_email"],
            )
        except services.ApplicationError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("The application was created as a draft."))
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/create.html", {"form": form})
