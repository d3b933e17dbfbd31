"""Signed-in pages: the holder's and staff's licence lists and pages, status changes,
renewals, pass notices, late renewals, incidents. Authorisation per object: a user who may
not see a licence or incident gets 404 (its existence is not revealed)."""

from __future__ import annotations

from html import escape
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from ssmark.accounts.models import Role
from ssmark.applications.services import ApplicationError
from ssmark.core import clock, query
from ssmark.core.models import audit_trail

from . import forms, mark, services
from .models import (
    IncidentReport,
    Licence,
    LicenceStatus,
    LicenceTerm,
    Recommendation,
    StatusChange,
    normalise,
)
from .pdf import render_pass_notice
from .scheme import settings as scheme_settings

MSG_SUSPENDED = _("The licence has been suspended.")
MSG_REVOKED = _("The licence has been revoked.")
MSG_REINSTATED = _("The suspension has been lifted.")
MSG_REVOKED_NO_INCIDENTS = _("The licence is revoked: incidents are no longer reported for it.")
MSG_NOT_POSSIBLE_NOW = _("This change is not possible in the licence's present status.")
MSG_RENEWAL_STARTED = _(
    "A renewal application has been created: %(n)s of its %(total)s items were carried over "
    "from the application the licence was granted on, each marked “carried over — check "
    "again”; the others are marked “not carried over”."
)
MSG_RENEWAL_STARTED_EMPTY = _(
    "A renewal application has been created. Nothing could be carried over (this licence has "
    "no earlier application in this system): answer every item."
)
MSG_INCIDENT_REPORTED = _("The incident has been reported to the review committee.")
MSG_SAVED = _("Saved.")


def _licence_for(request: HttpRequest, number: str) -> Licence:
    licence = get_object_or_404(
        Licence.objects.select_related(
            "organisation", "reception_body", "application__criteria_set"
        ),
        number=number,
    )
    if not services.can_view(request.user, licence):
        raise Http404
    return licence


def embed_snippet(number: str) -> str:
    base = f"{settings.SITE_URL}/licences/{number}/"
    alt = f"{mark.MARK_NAME_JA} 許諾番号 {number}"
    return (
        f'<a href="{escape(base)}"><img src="{escape(base)}mark.svg" '
        f'alt="{escape(alt)}" width="240" height="88"></a>'
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in holder's licences; staff see every licence they may oversee."""
    user: Any = request.user
    qs = services.visible_licences(user).order_by("serial")
    status = query.choice_param(request, "status", LicenceStatus.values)
    if status:
        qs = qs.filter(status=status)
    q = query.text_param(request, "q")
    for word in normalise(q).split():
        qs = qs.filter(search_key__contains=word)
    page = Paginator(qs, scheme_settings().registry_page_size).get_page(query.page_param(request))
    return render(
        request,
        "licences/mine.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": LicenceStatus.choices,
            "is_overseer": user.has_role(*services.OVERSEERS),
        },
    )


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    licence = _licence_for(request, number)
    user: Any = request.user
    opens, deadline = services.renewal_dates(licence)
    today = clock.today()
    incidents = licence.incidents.all() if services.can_see_incidents_of(user, licence) else None
    return render(
        request,
        "licences/detail.html",
        {
            "licence": licence,
            "terms": licence.terms.order_by("-valid_from", "-id"),
            "window_opens": opens,
            "deadline": deadline,
            "window_open": opens <= today <= licence.valid_until,
            "past_deadline": today > deadline,
            "open_renewal": services.open_renewal(licence),
            "can_renew": services.can_start_renewal(user, licence)
            and licence.status
            in (LicenceStatus.ACTIVE, LicenceStatus.RENEWAL_PENDING, LicenceStatus.SUSPENDED),
            "is_holder": services.is_holder(user, licence),
            **_receipt_context(user, licence),
            "can_manage": services.can_manage_status(user),
            "reinstate_form": forms.ReinstateForm(),
            "status_change": _current_status_change(licence),
            "revoked": licence.status == LicenceStatus.REVOKED,
            "snippet": embed_snippet(licence.number),
            "verify_url": f"{settings.SITE_URL}/licences/{licence.number}/",
            "incidents": incidents,
        },
    )


def _current_status_change(licence: Licence) -> StatusChange | None:
    """The change that put the licence in its present status (its effective date and time)."""
    return (
        licence.status_changes.filter(to_status=licence.status)
        .select_related("actor")
        .order_by("-created", "-id")
        .first()
    )


@login_required
def history(request: HttpRequest, number: str) -> HttpResponse:
    licence = _licence_for(request, number)
    return render(
        request,
        "licences/history.html",
        {
            "licence": licence,
            "changes": licence.status_changes.select_related("actor").order_by("-created", "-id"),
            "terms": licence.terms.select_related("application").order_by("-valid_from", "-id"),
            "trail": audit_trail(licence)[:200],
        },
    )


@login_required
def pass_notice(request: HttpRequest, number: str, term: int) -> HttpResponse:
    """The pass notice PDF: for the holder's members and the staff who may see the licence."""
    licence = _licence_for(request, number)
    record = get_object_or_404(
        LicenceTerm.objects.select_related("licence__organisation", "licence__reception_body"),
        pk=term,
        licence=licence,
    )
    response = HttpResponse(render_pass_notice(record), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="pass-notice-{licence.number}-{record.valid_from:%Y%m%d}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _manage(request: HttpRequest, number: str) -> Licence:
    licence = _licence_for(request, number)
    if not services.can_manage_status(request.user):
        raise PermissionDenied
    return licence


def _back(licence: Licence) -> HttpResponse:
    return redirect("licences:detail", number=licence.number)


def _status_change(request: HttpRequest, number: str, revoke: bool) -> HttpResponse:
    """Suspend or revoke, in two steps: a page that states the consequences and asks for the
    ground, the reason and the licence number typed again; the change only on that POST."""
    licence = _manage(request, number)
    allowed = licence.status != LicenceStatus.REVOKED and (revoke or licence.is_valid)
    if not allowed:
        messages.error(request, MSG_NOT_POSSIBLE_NOW)
        return _back(licence)
    form = forms.StatusChangeForm(request.POST or None, licence_number=licence.number)
    if request.method == "POST" and form.is_valid():
        action = services.revoke_licence if revoke else services.suspend_licence
        try:
            action(
                licence=licence,
                actor=request.user,
                ground=form.cleaned_data["ground"],
                reason=form.cleaned_data["reason"],
            )
        except services.LicenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, MSG_REVOKED if revoke else MSG_SUSPENDED)
            return _back(licence)
    return render(
        request,
        "licences/status_confirm.html",
        {
            "licence": licence,
            "form": form,
            "revoke": revoke,
            "now": timezone.localtime(),
            "open_renewal": services.open_renewal(licence),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def suspend(request: HttpRequest, number: str) -> HttpResponse:
    return _status_change(request, number, revoke=False)


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, number: str) -> HttpResponse:
    return _status_change(request, number, revoke=True)


@login_required
@require_POST
def reinstate(request: HttpRequest, number: str) -> HttpResponse:
    licence = _manage(request, number)
    form = forms.ReinstateForm(request.POST)
    if not form.is_valid():
        messages.error(request, services.ERROR_REASON_REQUIRED)
        return _back(licence)
    try:
        services.reinstate_licence(
            licence=licence, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except services.LicenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, MSG_REINSTATED)
    return _back(licence)


@login_required
@require_POST
def renew(request: HttpRequest, number: str) -> HttpResponse:
    licence = _licence_for(request, number)
    if not services.can_start_renewal(request.user, licence):
        raise PermissionDenied
    try:
        application = services.start_renewal(licence=licence, actor=request.user)
    except (services.LicenceError, ApplicationError) as exc:
        messages.error(request, str(exc))
        return _back(licence)
    carried = application.answers.filter(carried_over=True).count()
    if carried:
        total = application.criteria_set.items.count()
        messages.success(request, MSG_RENEWAL_STARTED % {"n": carried, "total": total})
    else:
        messages.success(request, MSG_RENEWAL_STARTED_EMPTY)
    try:
        return redirect(reverse("applications:detail", args=[application.pk]))
    except NoReverseMatch:
        return _back(licence)


@login_required
def late(request: HttpRequest) -> HttpResponse:
    """The secretariat's list of licences past the renewal deadline with no renewal applied."""
    user: Any = request.user
    if not user.has_role(*services.OVERSEERS):
        raise PermissionDenied
    return render(
        request,
        "licences/late.html",
        {
            "rows": services.late_renewals(),
            "deadline_days": scheme_settings().deadline_days_before_expiry,
        },
    )


# --- Incidents --------------------------------------------------------------------------------


@login_required
def incidents(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = IncidentReport.objects.select_related("licence", "licence__organisation")
    if user.has_role(*services.INVESTIGATORS):
        pass
    elif user.has_role(Role.APPLICANT) and user.organisation_id:
        qs = qs.filter(licence__organisation_id=user.organisation_id)
    else:
        raise PermissionDenied
    status = query.text_param(request, "status")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, scheme_settings().registry_page_size).get_page(query.page_param(request))
    return render(request, "licences/incidents.html", {"page": page, "status": status})


@login_required
def incident_new(request: HttpRequest, number: str) -> HttpResponse:
    licence = _licence_for(request, number)
    if not services.is_holder(request.user, licence):
        raise Http404
    if licence.status == LicenceStatus.REVOKED:
        messages.error(request, MSG_REVOKED_NO_INCIDENTS)
        return _back(licence)
    form = forms.IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report_incident(
                licence=licence, actor=request.user, **form.cleaned_data
            )
        except services.LicenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, MSG_INCIDENT_REPORTED)
            return redirect("licences:incident", pk=incident.pk)
    return render(request, "licences/incident_form.html", {"licence": licence, "form": form})


def _incident_for(request: HttpRequest, pk: int) -> IncidentReport:
    incident = get_object_or_404(
        IncidentReport.objects.select_related("licence", "licence__organisation", "reported_by"),
        pk=pk,
    )
    if not services.can_see_incident(request.user, incident):
        raise Http404
    return incident


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident_for(request, pk)
    user: Any = request.user
    investigator = user.has_role(*services.INVESTIGATORS)
    return render(
        request,
        "licences/incident_detail.html",
        {
            "incident": incident,
            "investigations": incident.investigations.select_related("recorded_by"),
            "recommendations": incident.recommendations.select_related(
                "issued_by"
            ).prefetch_related("responses__responded_by"),
            "investigator": investigator,
            "holder": services.is_holder(user, incident.licence),
            "investigation_form": forms.InvestigationForm(),
            "recommendation_form": forms.RecommendationForm(),
            "response_form": forms.ResponseForm(),
            "close_form": forms.CloseForm(),
        },
    )


def _incident_post(request: HttpRequest, pk: int, form_class: type[forms.forms.Form]) -> Any:
    incident = _incident_for(request, pk)
    form = form_class(request.POST)
    return incident, form


def _done(request: HttpRequest, incident: IncidentReport, form: Any, call: Any) -> HttpResponse:
    if not form.is_valid():
        messages.error(request, services.ERROR_TEXT_REQUIRED)
    else:
        try:
            call(form.cleaned_data)
        except services.LicenceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, MSG_SAVED)
    return redirect("licences:incident", pk=incident.pk)


@login_required
@require_POST
def incident_investigation(request: HttpRequest, pk: int) -> HttpResponse:
    incident, form = _incident_post(request, pk, forms.InvestigationForm)
    if not request.user.has_role(*services.INVESTIGATORS):  # type: ignore[union-attr]
        raise PermissionDenied
    return _done(
        request,
        incident,
        form,
        lambda d: services.record_investigation(
            incident=incident, actor=request.user, findings=d["findings"], refused=d["refused"]
        ),
    )


@login_required
@require_POST
def incident_recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    incident, form = _incident_post(request, pk, forms.RecommendationForm)
    if not request.user.has_role(*services.INVESTIGATORS):  # type: ignore[union-attr]
        raise PermissionDenied
    return _done(
        request,
        incident,
        form,
        lambda d: services.issue_recommendation(
            incident=incident, actor=request.user, text=d["text"], respond_by=d["respond_by"]
        ),
    )


@login_required
@require_POST
def incident_respond(request: HttpRequest, pk: int, rec: int) -> HttpResponse:
    incident, form = _incident_post(request, pk, forms.ResponseForm)
    recommendation = get_object_or_404(Recommendation, pk=rec, incident=incident)
    if not services.is_holder(request.user, incident.licence):
        raise PermissionDenied
    return _done(
        request,
        incident,
        form,
        lambda d: services.respond_to_recommendation(
            recommendation=recommendation, actor=request.user, text=d["text"]
        ),
    )


@login_required
@require_POST
def incident_close(request: HttpRequest, pk: int) -> HttpResponse:
    incident, form = _incident_post(request, pk, forms.CloseForm)
    if not request.user.has_role(*services.INVESTIGATORS):  # type: ignore[union-attr]
        raise PermissionDenied
    return _done(
        request,
        incident,
        form,
        lambda d: services.close_incident(
            incident=incident, actor=request.user, reason=d["reason"]
        ),
    )


def _receipt_context(user: Any, licence: Licence) -> dict[str, Any]:
    """The latest pass notice and whether its holder may still confirm receiving it."""
    term = services.notice_to_confirm(licence)
    return {
        "notice_term": term,
        "can_confirm_receipt": services.is_holder(user, licence) and services.receipt_open(term),
    }


@login_required
@require_POST
def confirm_receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The holder confirms receiving the pass notice today (issue 9.9): the first annual fee's
    month counts from today. 404 for those who may not see the licence."""
    licence = _licence_for(request, number)
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm that the notice was received today."))
        return redirect("licences:detail", number=licence.number)
    try:
        term = services.confirm_notice_receipt(actor=request.user, licence=licence)
    except services.LicenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Receipt of the pass notice confirmed on %(date)s.")
            % {"date": term.notice_received_on.isoformat()},
        )
    return redirect("licences:detail", number=licence.number)
