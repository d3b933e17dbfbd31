"""Evidence for an item (add and remove) and downloading stored files."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..forms import DeclarationForm, FileEvidenceForm, UrlEvidenceForm
from ..models import Evidence, FindingStatement, ScanReport, SecurityAuditRecord
from .common import (
    _detail_url,
    _done,
    _is_htmx,
    _refused,
    get_own_application,
    get_visible_application,
)
from .detail import _item_response


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
        if _wants_fragment(request):
            # In place: the item again, with the reason and what was typed (nothing lost).
            typed = {k: request.POST.get(k, "") for k in TYPED_FIELDS}
            return _item_response(request, application, code, exc.text, typed)
        if refused := _refused(request, exc):
            return refused
    else:
        if _wants_fragment(request):
            return _item_response(request, application, code)
        messages.success(request, _("Evidence added to item %(code)s.") % {"code": code})
    return _done(request, _detail_url(application, code))


# What the evidence forms send back as typed, to show again after a refusal.
TYPED_FIELDS = ("kind", "url", "signer_name", "signed_on", "statement")


def _wants_fragment(request: HttpRequest) -> bool:
    """htmx, or the upload script asking for the item's fragment: answer in place."""
    return _is_htmx(request) or request.headers.get("X-Fragment") == "1"


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
        if _wants_fragment(request):
            return _item_response(request, application, code, exc.text)
        _refused(request, exc)
    else:
        if _wants_fragment(request):
            return _item_response(request, application, code)
        messages.success(request, _("Evidence removed."))
    return redirect(_detail_url(application, code))


# --- files ----------------------------------------------------------------------------------

FILE_MODELS: dict[str, Any] = {
    "evidence": (Evidence, "answer__application"),
    "scan": (ScanReport, "application"),
    "statement": (FindingStatement, "application"),
    "audit": (SecurityAuditRecord, "application"),
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


def file_url(obj: Evidence | ScanReport | FindingStatement | SecurityAuditRecord) -> str:
    """The authorised download address of a stored file (for other apps' templates)."""
    if isinstance(obj, Evidence):
        return reverse("applications:file", args=[obj.answer.application_id, "evidence", obj.pk])
    kind = {ScanReport: "scan", FindingStatement: "statement", SecurityAuditRecord: "audit"}[
        type(obj)
    ]
    return reverse("applications:file", args=[obj.application_id, kind, obj.pk])
