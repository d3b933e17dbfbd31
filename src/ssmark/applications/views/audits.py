"""Item 1-1-2 audits and the incident declaration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import assessment, services
from ..forms import AuditForm, IncidentForm
from ..models import Application, IncidentDeclaration, SecurityAuditRecord
from .common import _done, _is_xhr, _refused, get_own_application, get_visible_application
from .detail import _common

# --- 1-1-2 ----------------------------------------------------------------------------------


def _audit_choices(application: Application) -> list[tuple[str, str]]:
    coverage = assessment.security_audit_coverage(application, [])
    if coverage is None:
        return []
    return [(e.code, f"{e.code} {e.text}") for g in coverage.groups for e in g.entries]


@login_required
def audits_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    application = get_visible_application(request, pk)
    item = assessment.security_audit_item(application)
    if item is None:
        raise Http404
    choices = _audit_choices(application)
    form = AuditForm(choices=choices)
    if request.method == "POST":
        application = get_own_application(request, pk)
        form = AuditForm(request.POST, request.FILES, choices=choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_audit(
                    actor=request.user,
                    application=application,
                    audited_on=data["audited_on"],
                    auditor=data["auditor"],
                    auditor_kind=data["auditor_kind"],
                    covered=data["covered"],
                    upload=data.get("file"),
                )
            except services.ApplicationError as exc:
                if _is_xhr(request):
                    return HttpResponse(
                        exc.text, status=400, content_type="text/plain; charset=utf-8"
                    )
                form.add_error(None, exc.text)
            else:
                messages.success(request, _("The audit was recorded."))
                return _done(request, reverse("applications:audits", args=[application.pk]))
        elif _is_xhr(request):
            return HttpResponse(
                " ".join(str(e) for errs in form.errors.values() for e in errs),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
    audits = list(application.audits.select_related("created_by"))
    context = _common(request, application)
    context.update(
        {
            "item": item,
            "audits": audits,
            "coverage": assessment.security_audit_coverage(application, audits),
            "form": form,
        }
    )
    return render(request, "applications/audits.html", context)


@login_required
@require_POST
def audit_remove(request: HttpRequest, pk: int, audit_id: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    record = get_object_or_404(SecurityAuditRecord, pk=audit_id, application=application)
    try:
        services.remove_audit(actor=request.user, application=application, record=record)
    except services.ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The audit was removed."))
    return redirect("applications:audits", pk=application.pk)


# --- incidents ------------------------------------------------------------------------------


@login_required
def incidents_page(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_visible_application(request, pk)
    form = IncidentForm()
    if request.method == "POST":
        application = get_own_application(request, pk)
        form = IncidentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.declare_incident(
                    actor=request.user,
                    application=application,
                    kind=data["kind"],
                    occurred_on=data["occurred_on"],
                    summary=data["summary"],
                    measures=data["measures"],
                )
            except services.ApplicationError as exc:
                form.add_error(None, exc.text)
            else:
                messages.success(request, _("The incident was declared."))
                return redirect("applications:incidents", pk=application.pk)
    start, end = services.incident_window(application.submitted_on)
    context = _common(request, application)
    context.update(
        {
            "incidents": list(application.incidents.all()),
            "declared": services.incidents_declared(application),
            "form": form,
            "window_start": start,
            "window_end": end,
        }
    )
    return render(request, "applications/incidents.html", context)


@login_required
@require_POST
def no_incidents(request: HttpRequest, pk: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    try:
        services.declare_no_incidents(actor=request.user, application=application)
    except services.ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("You declared that there were no incidents."))
    return redirect("applications:incidents", pk=application.pk)


@login_required
@require_POST
def incident_remove(request: HttpRequest, pk: int, incident_id: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    incident = get_object_or_404(IncidentDeclaration, pk=incident_id, application=application)
    try:
        services.remove_incident(actor=request.user, application=application, incident=incident)
    except services.ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The incident was removed."))
    return redirect("applications:incidents", pk=application.pk)
