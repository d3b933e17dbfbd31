"""The self-assessment page: the items, the readiness panel, answering one item."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ssmark.catalog.models import Category, Item, ItemKind

from .. import assessment, services
from ..forms import AnswerForm
from ..models import Application, Evidence, ItemAnswer
from ..permissions import can_edit_application
from ..sniff import ACCEPTED_TYPES
from ..states import EDITABLE_STATES
from .common import _detail_url, _is_htmx, get_own_application, get_visible_application

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
    readiness = assessment.readiness(application, answers.values(), gate=gate, coverage=coverage)
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
        "at_review": assessment.graded_at_review(application, item),
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
