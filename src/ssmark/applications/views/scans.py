"""Item 2-1-1: the scan page (reports and their reading progress, host roles, findings page by
page with filters, written opinions (意見書) on one or many findings).

Every page reads the stored gate and one page of rows, so it renders in the same time
whatever the size of the reports. Reviewers and the committee see the same page read-only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from ssmark.core.query import clean_text, page_param, text_param
from ssmark.core.textlimit import text_limit

from .. import assessment, scangate, services
from ..forms import ScanReportForm
from ..models import HostRole, ItemAnswer, ScanBand, ScanReport, ScanState
from ..services.scans import ERROR_OPINION_SIGNER, ERROR_OPINION_TEXT
from .common import _done, _refused, get_own_application, get_visible_application
from .detail import _common

FILTERS = ("host", "severity", "status")


class OpinionForm(forms.Form):
    """The responsible manager's written opinion (意見書) for one or several findings."""

    host = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)
    port = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    check_name = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
    statement = forms.CharField(
        label=gettext_lazy("Written opinion of the responsible manager"),
        max_length=text_limit(),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERROR_OPINION_TEXT},
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Responsible manager who signs it"),
        max_length=100,
        error_messages={"required": ERROR_OPINION_SIGNER},
    )
    file = forms.FileField(label=gettext_lazy("Signed written opinion (optional)"), required=False)


def _filters(request: HttpRequest) -> dict[str, str]:
    data = request.GET if request.method == "GET" else request.POST
    out = {name: clean_text(data.get(name), 255) for name in FILTERS}
    if out["severity"] not in ScanBand.values:
        out["severity"] = ""
    if out["status"] not in dict(scangate.STATUS_CHOICES):
        out["status"] = ""
    return out


def _scan_url(application_pk: int, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})
    url = reverse("applications:scan", args=[application_pk])
    return f"{url}?{query}" if query else url


def _back_to_scan(request: HttpRequest, application_pk: int) -> str:
    """The posted `next` when it is a scan page of this application (the filters and pages the
    person was on), else the scan page itself."""
    scan = reverse("applications:scan", args=[application_pk])
    back = request.POST.get("next") or ""
    return back if back.startswith(scan) else scan


def _report_rows(reports: list[ScanReport]) -> list[dict[str, Any]]:
    rows = []
    for r in reports:
        percent = 0
        if r.size:
            percent = min(100, round(100 * r.bytes_done / r.size))
        rows.append(
            {
                "report": r,
                "percent": percent,
                "busy": r.state in (ScanState.QUEUED, ScanState.RUNNING),
                "problem": (
                    services.report_problem(r.error_code, r.error_params)
                    if r.state == ScanState.FAILED
                    else ""
                ),
            }
        )
    return rows


@login_required
def scan_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    application = get_visible_application(request, pk)
    if request.method == "POST":
        application = get_own_application(request, pk)
        form = ScanReportForm(request.POST, request.FILES)
        upload = request.FILES.get("file") if form.is_valid() else None
        try:
            services.upload_scan_report(
                actor=request.user, application=application, upload=upload, background=True
            )
        except services.ApplicationError as exc:
            if refused := _refused(request, exc):
                return refused
        else:
            messages.success(
                request, _("The scan report was uploaded; it is being read. This page follows.")
            )
        return _done(request, reverse("applications:scan", args=[application.pk]))
    item = assessment.scan_item(application)
    if item is None:
        raise Http404
    reports = list(application.scan_reports.select_related("uploaded_by"))
    gate = assessment.scan_gate(application)
    filters = _filters(request)
    page = scangate.list_findings(
        application=application,
        host=filters["host"],
        severity=filters["severity"],
        status=filters["status"],
        page=page_param(request),
    )
    hsearch = text_param(request, "hsearch", 255)
    hosts = scangate.list_hosts(
        application=application, search=hsearch, page=page_param(request, "hpage")
    )
    answer = ItemAnswer.objects.filter(application=application, item=item).first()
    context = _common(request, application)
    base = {**filters, "hsearch": hsearch}
    hpage = hosts.number
    context.update(
        {
            "item": item,
            "answer": answer,
            "reports": _report_rows(reports),
            "busy": any(r.state in (ScanState.QUEUED, ScanState.RUNNING) for r in reports),
            "gate": gate,
            "condition_1": scangate.condition_1_text(application) if gate.without_v2 else "",
            "hosts": hosts,
            "role_choices": HostRole.choices,
            "form": ScanReportForm(),
            "findings": page,
            "finding_rows": [(f, page.opinions.get(f.key)) for f in page.rows],
            "filters": filters,
            "hsearch": hsearch,
            "severity_choices": ScanBand.choices,
            "status_choices": scangate.STATUS_CHOICES,
            "prev_url": _scan_url(application.pk, **base, hpage=hpage, page=page.number - 1),
            "next_url": _scan_url(application.pk, **base, hpage=hpage, page=page.number + 1),
            "hprev_url": _scan_url(
                application.pk, **base, page=page.number, hpage=hosts.number - 1
            ),
            "hnext_url": _scan_url(
                application.pk, **base, page=page.number, hpage=hosts.number + 1
            ),
            "this_url": _scan_url(application.pk, **base, hpage=hpage, page=page.number),
            "band_statement": ScanBand.STATEMENT,
            "band_fail": ScanBand.FAIL,
        }
    )
    return render(request, "applications/scan.html", context)


@login_required
@require_GET
def scan_progress(request: HttpRequest, pk: int, report_id: int) -> HttpResponse:
    """The progress line of one report (htmx polls it); when the job has ended, tells htmx
    to reload the page, which then shows the result."""
    application = get_visible_application(request, pk)
    report = get_object_or_404(ScanReport, pk=report_id, application=application)
    row = _report_rows([report])[0]
    response = render(
        request, "applications/_scan_progress.html", {"row": row, "application": application}
    )
    if not row["busy"]:
        response["HX-Refresh"] = "true"
    return response


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
    """Roles of the hosts shown on the posted page (hosts on other pages keep theirs)."""
    application = get_own_application(request, pk)
    roles: dict[str, list[str]] = {}
    for host in request.POST.getlist("host")[: settings.SCAN_PAGE_SIZE * 4]:
        roles[host] = request.POST.getlist(f"role:{host}")
    try:
        services.set_host_roles(actor=request.user, application=application, roles=roles)
    except services.ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Host roles saved."))
    return redirect(_back_to_scan(request, application.pk))


@login_required
@require_POST
def finding_statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One written opinion (意見書) for the findings ticked on the page (`key` fields
    "host|port|check"), or for every finding matching the filters (`all_matching`)."""
    application = get_own_application(request, pk)
    form = OpinionForm(request.POST, request.FILES)
    back = _back_to_scan(request, application.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    data = form.cleaned_data
    keys: list[tuple[str, str, str]] = []
    if request.POST.get("all_matching"):
        chosen = _filters(request)
        keys = list(
            scangate.finding_keys(
                application=application,
                host=chosen["host"],
                severity=chosen["severity"],
                status=chosen["status"],
            )
        )
    else:
        for raw in request.POST.getlist("key"):
            parts = raw.split("|", 2)
            if len(parts) == 3:
                keys.append((parts[0], parts[1], parts[2]))
        if data.get("host") and data.get("check_name"):
            keys.append((data["host"], data.get("port") or "", data["check_name"]))
    try:
        saved = services.add_finding_statements(
            actor=request.user,
            application=application,
            keys=keys,
            statement=data["statement"],
            signer_name=data["signer_name"] or "",
            upload=data.get("file"),
        )
    except services.ApplicationError as exc:
        if refused := _refused(request, exc):
            return refused
    else:
        messages.success(
            request,
            _("Written opinion saved for %(n)s finding(s).") % {"n": len(saved)},
        )
    return _done(request, back)
