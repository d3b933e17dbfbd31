"""The self-assessment page: the items, the readiness panel, answering one item."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ssmark.catalog.models import Category, Item, ItemKind
from ssmark.core.textlimit import text_limit

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
    security_audit_item = next((i for i in items if assessment.is_security_audit_item(i)), None)
    gate = assessment.scan_gate(application) if scan_item else None
    audits = list(application.audits.all())
    coverage = (
        assessment.security_audit_coverage(application, audits) if security_audit_item else None
    )
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
        "security_audit_item": security_audit_item,
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
    coverage: assessment.SecurityAuditCoverage | None,
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
        "is_audit": assessment.is_security_audit_item(item),
        "gate": gate if assessment.is_scan_item(item) else None,
        "coverage": coverage if assessment.is_security_audit_item(item) else None,
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
        "text_limit": text_limit(),
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
    request: HttpRequest,
    application: Application,
    code: str,
    error: str = "",
    typed: dict[str, Any] | None = None,
) -> HttpResponse:
    """The item's fragment (htmx swaps it in place). `typed`: what the person typed, shown
    again after a refusal so that nothing typed is lost."""
    item = get_object_or_404(Item, criteria_set_id=application.criteria_set_id, code=code)
    answer = (
        ItemAnswer.objects.filter(application=application, item=item)
        .select_related("item", "updated_by")
        .prefetch_related("evidence")
        .first()
    )
    is_scan, is_audit = assessment.is_scan_item(item), assessment.is_security_audit_item(item)
    gate = assessment.scan_gate(application) if is_scan else None
    coverage = assessment.security_audit_coverage(application) if is_audit else None
    context = _common(request, application)
    _round, comments = _return_comments(application)
    context.update(
        {
            "i": _item_context(
                application, item, answer, gate, coverage, comments.get(item.code, [])
            ),
            "open": True,
            "item_error": error,
            "typed": typed or {},
            "typed_code": code if typed else "",
        }
    )
    response = render(request, "applications/_item.html", context)
    response["HX-Trigger"] = "readiness-changed"
    return response


def _form_error(form: AnswerForm) -> str:
    """The first problem of the answer form, naming the field's limit where there is one."""
    for errors in form.errors.values():
        return str(errors[0])
    return _("The answer could not be read; check the fields.")


def _next_code(application: Application, code: str) -> str | None:
    codes = list(
        Item.objects.filter(criteria_set_id=application.criteria_set_id)
        .order_by("position")
        .values_list("code", flat=True)
    )
    try:
        return codes[codes.index(code) + 1]
    except (ValueError, IndexError):
        return None


@login_required
@require_POST
def save_answer(request: HttpRequest, pk: int, code: str) -> HttpResponseBase:
    """Save one item's answer. htmx: the item's fragment; autosave (X-Autosave): JSON with the
    new version, nothing swapped; a plain post: back to the page (the next item with `next`).
    A refusal never throws the typed text away: it is shown again with the reason."""
    application = get_own_application(request, pk)
    form = AnswerForm(request.POST)
    error = ""
    answer = None
    if not form.is_valid():
        error = _form_error(form)
    else:
        data = form.cleaned_data
        try:
            answer = services.save_answer(
                actor=request.user,
                application=application,
                item_code=code,
                claim=data["claim"] or "",
                grade=data["grade"],
                explanation=data["explanation"] or "",
                expected_version=data["version"],
            )
        except services.ApplicationError as exc:
            error = exc.text
    if request.headers.get("X-Autosave") == "1":
        if error:
            return JsonResponse({"ok": False, "error": error}, status=409)
        assert answer is not None
        return JsonResponse(
            {
                "ok": True,
                "version": answer.version,
                "saved_at": timezone.localtime(answer.updated).strftime("%H:%M:%S"),
            }
        )
    typed = {k: request.POST.get(k, "") for k in ("claim", "grade", "explanation")}
    if _is_htmx(request):
        return _item_response(request, application, code, error, typed if error else None)
    if error:
        # Show the page again with what was typed and the reason, instead of a redirect.
        context = _common(request, application)
        context.update(_page_data(application))
        context.update({"open_code": code, "item_error_code": code, "item_error": error})
        context.update({"typed": typed, "typed_code": code})
        return render(request, "applications/detail.html", context, status=400)
    messages.success(request, _("Item %(code)s saved.") % {"code": code})
    following = _next_code(application, code) if request.POST.get("next") else None
    return redirect(_detail_url(application, following or code))


@login_required
@require_GET
def item_fragment(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    application = get_visible_application(request, pk)
    return _item_response(request, application, code)
