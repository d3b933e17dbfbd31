"""The applicant's pages. Every view that takes an id authorises per object: a user who may
not see the application gets 404; one who may see but not act as the applicant gets 403."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ssmark.catalog.models import Category, Item, ItemKind

from . import assessment, services
from .forms import (
    AnswerForm,
    ApplicationForm,
    AuditForm,
    ContactsForm,
    DeclarationForm,
    FileEvidenceForm,
    FindingStatementForm,
    IncidentForm,
    ScanReportForm,
    SubmitForm,
    UrlEvidenceForm,
    WithdrawForm,
)
from .models import (
    Application,
    AuditRecord,
    Claim,
    Evidence,
    FindingStatement,
    HostRole,
    IncidentDeclaration,
    ItemAnswer,
    ScanReport,
)
from .permissions import can_edit_application, can_view_application, own_applications
from .sniff import ACCEPTED_TYPES
from .states import EDITABLE_STATES


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _is_xhr(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _application_qs() -> QuerySet[Application]:
    return Application.objects.select_related(
        "organisation", "reception_body", "criteria_set", "created_by"
    )


def get_visible_application(request: HttpRequest, pk: int) -> Application:
    """The application, or 404 when the user may not see it (existence is not revealed)."""
    application = get_object_or_404(_application_qs(), pk=pk)
    if not can_view_application(request.user, application):
        raise Http404
    return application


def get_own_application(request: HttpRequest, pk: int) -> Application:
    """The application for an applicant action: 404 if invisible, 403 if not the applicant."""
    application = get_visible_application(request, pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied
    return application


def _detail_url(application: Application, code: str | None = None) -> str:
    url = reverse("applications:detail", args=[application.pk])
    return f"{url}?open={code}#item-{code}" if code else url


def _refused(request: HttpRequest, exc: services.ApplicationError) -> HttpResponse | None:
    """Report a refusal: as plain text with 400 to the upload script, else as a message."""
    if _is_xhr(request):
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    messages.error(request, exc.message)
    return None


def _done(request: HttpRequest, url: str) -> HttpResponseBase:
    """After a post: a redirect, or for the upload script 204 with the address to go to."""
    if _is_xhr(request):
        response = HttpResponse(status=204)
        response["X-Location"] = url
        return response
    return redirect(url)


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
    form = ApplicationForm(request.POST or None, organisation=user.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.create_application(
                actor=user,
                service_name=data["service_name"],
                reception_body=data["reception_body"],
                scheme=data["scheme"],
                review_type=data["review_type"],
                responsible_manager=data["responsible_manager"],
                responsible_manager_email=data["responsible_manager_email"],
                pim_manager=data["pim_manager"],
                pim_manager_email=data["pim_manager_email"],
                renew_from=data["renew_from"],
            )
        except services.ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The application was created as a draft."))
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/create.html", {"form": form})


# --- the self-assessment page ---------------------------------------------------------------


def _page_data(application: Application) -> dict[str, Any]:
    """Everything the self-assessment page shows, in a fixed number of queries."""
    answers_qs = (
        ItemAnswer.objects.filter(application=application)
        .select_related("item", "updated_by")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by"))
        )
    )
    answers = {a.item_id: a for a in answers_qs}
    items = list(
        Item.objects.filter(criteria_set_id=application.criteria_set_id).order_by("position")
    )
    categories = list(Category.objects.filter(criteria_set_id=application.criteria_set_id))
    positions = {i.code: i.position for i in items}
    scan_item = next((i for i in items if assessment.is_scan_item(i)), None)
    audit_item = next((i for i in items if assessment.is_audit_item(i)), None)
    gate = assessment.scan_gate(application) if scan_item else None
    audits = list(application.audits.all())
    coverage = assessment.audit_coverage(application, audits) if audit_item else None
    readiness = assessment.readiness(application, answers.values(), gate=gate)
    return_round, return_comments = _return_comments(application)
    by_category: dict[int, list[dict[str, Any]]] = {c.pk: [] for c in categories}
    for item in items:
        by_category.setdefault(item.category_id, []).append(
            _item_context(
                application,
                item,
                answers.get(item.pk),
                gate,
                coverage,
                return_comments.get(item.code, []),
            )
        )
    return {
        "categories": [(c, by_category.get(c.pk, [])) for c in categories],
        "readiness": readiness,
        "gate": gate,
        "scan_item": scan_item,
        "audit_item": audit_item,
        "coverage": coverage,
        "answered": sum(1 for a in answers.values() if a.is_answered),
        "item_count": len(items),
        "return_round": return_round,
        "returned_codes": sorted(return_comments, key=lambda c: positions.get(c, 0)),
    }


def _return_comments(application: Application) -> tuple[Any, dict[str, list[Any]]]:
    """The reviewer's latest return for correction and its comments by item code."""
    from ssmark.reviews.queries import latest_return_round, return_comments_for

    latest = latest_return_round(application)
    if latest is None:
        return None, {}
    return latest, return_comments_for(application)


def _item_context(
    application: Application,
    item: Item,
    answer: ItemAnswer | None,
    gate: assessment.ScanGate | None,
    coverage: assessment.AuditCoverage | None,
    return_comments: list[Any] | None = None,
) -> dict[str, Any]:
    kind = item.kind_for(application.review_type)
    return {
        "item": item,
        "answer": answer,
        "evidence": list(answer.evidence.all()) if answer else [],
        "kind": kind,
        "graded": kind == ItemKind.GRADED,
        "grades": list(range(item.grade_min or 0, (item.grade_max or 0) + 1)),
        "points": item.points_for(application.review_type),
        "asks": assessment.evidence_texts(item),
        "asks_web": assessment.asks_for_web(item),
        "signer": assessment.signer_for(item),
        "is_scan": assessment.is_scan_item(item),
        "is_audit": assessment.is_audit_item(item),
        "gate": gate if assessment.is_scan_item(item) else None,
        "coverage": coverage if assessment.is_audit_item(item) else None,
        "return_comments": return_comments or [],
    }


def _common(request: HttpRequest, application: Application) -> dict[str, Any]:
    editable = (
        can_edit_application(request.user, application) and application.status in EDITABLE_STATES
    )
    return {
        "application": application,
        "editable": editable,
        "is_applicant": can_edit_application(request.user, application),
        "max_upload_mb": settings.MAX_UPLOAD_MB,
        "max_scan_mb": settings.MAX_SCAN_REPORT_MB,
        "accept": ",".join(sorted(ACCEPTED_TYPES)),
    }


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_visible_application(request, pk)
    context = _common(request, application)
    context.update(_page_data(application))
    context["incidents_declared"] = services.incidents_declared(application)
    context["submissions"] = list(application.submissions.select_related("submitted_by"))
    context["open_code"] = request.GET.get("open", "")
    return render(request, "applications/detail.html", context)


@login_required
@require_GET
def readiness_panel(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_visible_application(request, pk)
    answers = ItemAnswer.objects.filter(application=application).select_related("item")
    return render(
        request,
        "applications/_readiness.html",
        {"application": application, "readiness": assessment.readiness(application, answers)},
    )


def _item_response(
    request: HttpRequest, application: Application, code: str, error: str = ""
) -> HttpResponse:
    item = get_object_or_404(Item, criteria_set_id=application.criteria_set_id, code=code)
    answer = (
        ItemAnswer.objects.filter(application=application, item=item)
        .select_related("item", "updated_by")
        .prefetch_related("evidence")
        .first()
    )
    is_scan, is_audit = assessment.is_scan_item(item), assessment.is_audit_item(item)
    gate = assessment.scan_gate(application) if is_scan else None
    coverage = assessment.audit_coverage(application) if is_audit else None
    context = _common(request, application)
    _round, comments = _return_comments(application)
    context.update(
        {
            "i": _item_context(
                application, item, answer, gate, coverage, comments.get(item.code, [])
            ),
            "open": True,
            "item_error": error,
        }
    )
    response = render(request, "applications/_item.html", context)
    response["HX-Trigger"] = "readiness-changed"
    return response


@login_required
@require_POST
def save_answer(request: HttpRequest, pk: int, code: str) -> HttpResponseBase:
    application = get_own_application(request, pk)
    form = AnswerForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("The answer could not be read; check the fields.")
    else:
        data = form.cleaned_data
        try:
            services.save_answer(
                actor=request.user,
                application=application,
                item_code=code,
                claim=data["claim"] or "",
                grade=data["grade"],
                explanation=data["explanation"] or "",
                expected_version=data["version"],
            )
        except services.ApplicationError as exc:
            error = exc.message
    if _is_htmx(request):
        return _item_response(request, application, code, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Item %(code)s saved.") % {"code": code})
    return redirect(_detail_url(application, code))


@login_required
@require_GET
def item_fragment(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    application = get_visible_application(request, pk)
    return _item_response(request, application, code)


@login_required
@require_POST
def add_evidence(request: HttpRequest, pk: int, code: str) -> HttpResponseBase:
    application = get_own_application(request, pk)
    kind = request.POST.get("kind", "file")
    try:
        if kind == "url":
            url_form = UrlEvidenceForm(request.POST)
            if not url_form.is_valid():
                raise services.ApplicationError(services.ERROR_URL_SCHEME)
            services.add_url_evidence(
                actor=request.user,
                application=application,
                item_code=code,
                url=url_form.cleaned_data["url"],
            )
        elif kind == "declaration":
            decl = DeclarationForm(request.POST, request.FILES)
            if not decl.is_valid():
                first = next(iter(decl.errors.values()))[0]
                raise services.ApplicationError(str(first))
            services.add_signed_declaration(
                actor=request.user,
                application=application,
                item_code=code,
                signer_name=decl.cleaned_data["signer_name"],
                signed_on=decl.cleaned_data["signed_on"],
                statement=decl.cleaned_data["statement"],
                upload=decl.cleaned_data.get("file"),
            )
        else:
            file_form = FileEvidenceForm(request.POST, request.FILES)
            upload = request.FILES.get("file") if file_form.is_valid() else None
            services.add_file_evidence(
                actor=request.user, application=application, item_code=code, upload=upload
            )
    except services.ApplicationError as exc:
        if refused := _refused(request, exc):
            return refused
    else:
        messages.success(request, _("Evidence added to item %(code)s.") % {"code": code})
    return _done(request, _detail_url(application, code))


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    evidence = get_object_or_404(
        Evidence.objects.select_related("answer__item"),
        pk=evidence_id,
        answer__application=application,
    )
    code = evidence.answer.item.code
    try:
        services.remove_evidence(actor=request.user, application=application, evidence=evidence)
    except services.ApplicationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Evidence removed."))
    return redirect(_detail_url(application, code))


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
        messages.error(request, _("Enter the responsible manager's statement."))
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
        messages.success(request, _("Statement saved."))
    return _done(request, reverse("applications:scan", args=[application.pk]))


# --- 1-1-2 ----------------------------------------------------------------------------------


def _audit_choices(application: Application) -> list[tuple[str, str]]:
    coverage = assessment.audit_coverage(application, [])
    if coverage is None:
        return []
    return [(e.code, f"{e.code} {e.text}") for g in coverage.groups for e in g.entries]


@login_required
def audits_page(request: HttpRequest, pk: int) -> HttpResponseBase:
    application = get_visible_application(request, pk)
    item = assessment.audit_item(application)
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
                        exc.message, status=400, content_type="text/plain; charset=utf-8"
                    )
                form.add_error(None, exc.message)
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
            "coverage": assessment.audit_coverage(application, audits),
            "form": form,
        }
    )
    return render(request, "applications/audits.html", context)


@login_required
@require_POST
def audit_remove(request: HttpRequest, pk: int, audit_id: int) -> HttpResponseBase:
    application = get_own_application(request, pk)
    record = get_object_or_404(AuditRecord, pk=audit_id, application=application)
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
                form.add_error(None, exc.message)
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
                form.add_error(None, exc.message)
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
            form.add_error(None, exc.message)
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
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The application was withdrawn."))
            return redirect("applications:detail", pk=application.pk)
    context = _common(request, application)
    context["form"] = form
    return render(request, "applications/withdraw.html", context)


# --- files ----------------------------------------------------------------------------------

FILE_MODELS: dict[str, Any] = {
    "evidence": (Evidence, "answer__application"),
    "scan": (ScanReport, "application"),
    "statement": (FindingStatement, "application"),
    "audit": (AuditRecord, "application"),
}


def download_name(original: str, content_type: str) -> str:
    """The original name, with the proper extension added if it does not match the content."""
    proper = mimetypes.guess_all_extensions(content_type) if content_type else []
    lowered = original.lower()
    if proper and not any(lowered.endswith(ext) for ext in [*proper, ".jpeg", ".jpg"]):
        return original + (mimetypes.guess_extension(content_type) or "")
    return original


@login_required
@require_GET
def download_file(request: HttpRequest, pk: int, kind: str, file_id: int) -> FileResponse:
    """Serve a stored file to a user who may see the application: as an attachment, with the
    sniffed type and nosniff, never inline."""
    application = get_visible_application(request, pk)
    if kind not in FILE_MODELS:
        raise Http404
    model, path = FILE_MODELS[kind]
    obj = get_object_or_404(model, pk=file_id, **{path: application})
    if not obj.has_file:
        raise Http404
    try:
        handle = obj.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = obj.content_type or "application/octet-stream"
    if kind == "scan":
        content_type = "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(obj.original_name or "file", content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def file_url(obj: Evidence | ScanReport | FindingStatement | AuditRecord) -> str:
    """The authorised download address of a stored file (for other apps' templates)."""
    if isinstance(obj, Evidence):
        return reverse("applications:file", args=[obj.answer.application_id, "evidence", obj.pk])
    kind = {ScanReport: "scan", FindingStatement: "statement", AuditRecord: "audit"}[type(obj)]
    return reverse("applications:file", args=[obj.application_id, kind, obj.pk])


__all__ = ["Claim", "file_url", "get_own_application", "get_visible_application"]
