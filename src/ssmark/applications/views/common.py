"""Shared helpers of the applicant's pages: fetching an application with per-object
authorisation (404 when it may not be seen), refusals and post-redirects.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from ssmark.core.refusals import show_refusal

from .. import services
from ..models import Application
from ..permissions import can_edit_application, can_view_application


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
        return HttpResponse(exc.text, status=400, content_type="text/plain; charset=utf-8")
    show_refusal(request, exc)
    return None


def _done(request: HttpRequest, url: str) -> HttpResponseBase:
    """After a post: a redirect, or for the upload script 204 with the address to go to."""
    if _is_xhr(request):
        response = HttpResponse(status=204)
        response["X-Location"] = url
        return response
    return redirect(url)
