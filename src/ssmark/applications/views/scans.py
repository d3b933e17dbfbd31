"""Item 2-1-1: the scan page (reports, host roles, statements on findings)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import assessment, services
from ..forms import FindingStatementForm, ScanReportForm
from ..models import HostRole, ItemAnswer, ScanReport
from .common import _done, _refused, get_own_application, get_visible_application
from .detail import _common

# --- 2-1-1 ----------------------------------------------------------------------------------


@login_required
def scan_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    application = get_visible_application(request, pk)
    if request.method == "POST":
        application = get_own_application(request, pk)
        form = ScanReportForm(request.POST, request.FILES)
        upload = request.FILES.get("file") if form.is_valid() else None
        try:
            services.upload_scan_report(actor=request.user, application=application, upload=upload)
        except services.ApplicationError as exc:
            if refused := _refused(request, exc):
                return refused
        else:
            messages.success(request, _("The scan report was read and added."))
        return _done(request, reverse("applications:scan", args=[application.pk]))
    item = assessment.scan_item(application)
    if item is None:
        raise Http404
    reports = list(application.scan_reports.select_related("uploaded_by"))
    gate = assessment.scan_gate(application)
    hosts = sorted(assessment.scanned_hosts(application))
    roles: dict[str, set[str]] = {}
    for role in application.host_roles.all():
        roles.setdefault(role.host, set()).add(role.role)
    answer = ItemAnswer.objects.filter(application=application, item=item).first()
    context = _common(request, application)
    context.update(
        {
            "item": item,
            "answer": answer,
            "reports": reports,
            "gate": gate,
            "host_rows": [(h, roles.get(h, set())) for h in hosts],
            "role_choices": HostRole.choices,
            "form": ScanReportForm(),
        }
    )
    return render(request, "applications/scan.html", context)


@login_required
@require_POST
def scan_remove(request: HttpRequest, pk: int, report_id: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    report = get_object_or_404(ScanReport, pk=report_id, application=application)
    try:
        services.remove_scan_report(actor=request.user, application=application, report=report)
    except services.ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The scan report was removed."))
    return redirect("applications:scan", pk=application.pk)


@login_required
@require_POST
def host_roles(request: HttpRequest, pk: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    roles: dict[str, list[str]] = {}
    for host in request.POST.getlist("host"):
        roles[host] = request.POST.getlist(f"role:{host}")
    try:
        services.set_host_roles(actor=request.user, application=application, roles=roles)
    except services.ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Host roles saved."))
    return redirect("applications:scan", pk=application.pk)


@login_required
@require_POST
def finding_statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    form = FindingStatementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Enter the written opinion of the responsible manager."))
        return redirect("applications:scan", pk=application.pk)
    data = form.cleaned_data
    try:
        services.add_finding_statement(
            actor=request.user,
            application=application,
            host=data["host"],
            port=data["port"] or "",
            check_name=data["check_name"],
            statement=data["statement"],
            signer_name=data["signer_name"] or "",
            upload=data.get("file"),
        )
    except services.ApplicationError as exc:
        if refused := _refused(request, exc):
            return refused
    else:
        messages.success(request, _("Written opinion saved."))
    return _done(request, reverse("applications:scan", args=[application.pk]))
