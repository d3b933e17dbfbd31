"""First-review pages: the queue, the worksheet (findings saved per item with htmx), returning
for correction, the decision, and the history of rounds.

Every view that takes an id answers 404 unless the user may see the application's worksheet
(`permissions.can_view_worksheet`); write actions then need the stricter role checks (403 for
someone who may look but not act). The services check everything again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from ssmark.accounts.models import Role
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.applications.states import IllegalTransition
from ssmark.catalog.models import Item, ItemKind
from ssmark.core import query
from ssmark.core.models import audit_trail
from ssmark.core.refusals import Refusal

from . import bulk, permissions, replies, services
from .forms import AssignForm, DecisionForm, FindingForm, ReplyForm, ReturnForm, reviewers_of_body
from .models import Decision, ReturnComment, ReturnRound, ReviewFinding
from .people import person_name
from .verdict import official_verdict
from .worksheet import build_worksheet

MSG_ASSIGNED = _("%(reviewer)s is now the first reviewer of “%(service)s”.")
MSG_RESUMED = _("The resubmitted application is back in first review.")
MSG_RETURNED = _("The application was returned to the applicant for correction.")
MSG_PASSED = _("The application passed the first review and goes on to the second review.")
MSG_REJECTED = _("The application was rejected at the first review.")
MSG_SAVED = _("Saved.")
MSG_MARKED_MET = _("%(n)s items recorded as met.")

ACTIVE_STATES = services.ASSIGNABLE_STATES  # the first review's queue: where assigning applies
DECIDED_STATES = (ApplicationStatus.FIRST_REVIEW_PASSED, ApplicationStatus.FIRST_REVIEW_REJECTED)
# Queue orders: waiting longest first (submitted earliest), or newest first.
QUEUE_SORTS = {"waiting": ("submitted_on", "pk"), "newest": ("-submitted_on", "-pk")}


def _application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related(
            "organisation",
            "reception_body",
            "criteria_set",
            "first_review__reviewer",
            "first_review__decided_by",
            "first_review__assigned_by",
        ),
        pk=pk,
    )
    if not permissions.can_view_worksheet(request.user, application):
        raise Http404
    return application


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _worksheet_url(application: Application, anchor: str = "") -> str:
    url = reverse("reviews:worksheet", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


# --- queue ------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = query.choice_param(request, "status", ApplicationStatus.values)
    q = query.text_param(request, "q")
    sort = query.choice_param(request, "sort", QUEUE_SORTS)
    apps = permissions.queue_for(user).annotate(rounds=Count("return_rounds", distinct=True))
    if status:
        apps = apps.filter(status=status)
    for word in q.split():
        apps = apps.filter(
            Q(service_name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__name_en__icontains=word)
        )
    # Waiting longest first (the default) or newest first, by submission date.
    active = apps.filter(status__in=ACTIVE_STATES).order_by(*QUEUE_SORTS[sort or "waiting"])
    decided = apps.filter(
        ~Q(status__in=ACTIVE_STATES) & ~Q(status=ApplicationStatus.DRAFT)
    ).order_by("-updated")[:50]
    is_reception = user.has_role(Role.RECEPTION_STAFF) and user.organisation_id is not None
    reviewers = list(reviewers_of_body(user.organisation_id)) if is_reception else []
    active_list = list(active)
    for app in active_list:
        # "Review fee unpaid": starting the review would be refused (fee schedule's rule).
        app.fee_blocks = services.start_fee_blocks(app)  # type: ignore[attr-defined]
    return render(
        request,
        "reviews/queue.html",
        {
            "active": active_list,
            "decided": list(decided),
            "status": status,
            "q": q,
            "sort": sort or "waiting",
            "statuses": [
                (s, ApplicationStatus(s).label) for s in (*ACTIVE_STATES, *DECIDED_STATES)
            ],
            "is_reception": is_reception,
            "is_reviewer": user.has_role(Role.FIRST_REVIEWER),
            "is_staff_role": user.is_staff_role,
            "reviewers": reviewers,
            "assignable": services.ASSIGNABLE_STATES,
        },
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not permissions.can_assign(request.user, application):
        raise PermissionDenied
    form = AssignForm(request.POST, application=application)
    if not form.is_valid():
        messages.error(request, _("Choose a first reviewer of this reception body."))
        return redirect("reviews:queue")
    reviewer = form.cleaned_data["reviewer"]
    try:
        services.assign_reviewer(actor=request.user, application=application, reviewer=reviewer)
    except (services.ReviewError, IllegalTransition) as exc:
        messages.error(request, str(exc))
        if request.POST.get("next") == "worksheet":
            return redirect(_worksheet_url(application))
        return redirect("reviews:queue")
    messages.success(
        request,
        MSG_ASSIGNED
        % {
            "reviewer": person_name(reviewer),
            "service": application.service_name,
        },
    )
    if request.POST.get("next") == "worksheet":
        return redirect(_worksheet_url(application))
    return redirect("reviews:queue")


# --- worksheet --------------------------------------------------------------------------------


def _worksheet_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    sheet = build_worksheet(application)
    can_review = permissions.can_review(request.user, application)
    in_review = application.status == ApplicationStatus.IN_FIRST_REVIEW
    rounds_count = ReturnRound.objects.filter(application=application).count()
    return {
        "application": application,
        "sheet": sheet,
        "verdict": sheet.verdict,
        "review": getattr(application, "first_review", None),
        "can_edit": can_review and in_review,
        "can_resume": can_review and application.status == ApplicationStatus.RESUBMITTED,
        "can_assign": permissions.can_assign(request.user, application)
        and application.status in ACTIVE_STATES,
        "assign_form": AssignForm(application=application)
        if permissions.can_assign(request.user, application)
        else None,
        "decision_form": DecisionForm(initial={"decision": Decision.PASSED}),
        "fee_blocks": services.start_fee_blocks(application),
        "rounds_count": rounds_count,
    }


@login_required
@require_GET
def worksheet(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    return render(request, "reviews/worksheet.html", _worksheet_context(request, application))


@login_required
@require_POST
def finding(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Save one item's finding. With htmx, answers the item's finding cell and (out of band)
    the verdict panel and the pass button; without, redirects back to the item."""
    application = _application(request, pk)
    if not permissions.can_review(request.user, application):
        raise PermissionDenied
    item = get_object_or_404(Item, pk=item_id, criteria_set_id=application.criteria_set_id)
    graded = item.kind_for(application.review_type) == ItemKind.GRADED
    form = FindingForm(request.POST, item=item, graded=graded)
    error = ""
    saved: ReviewFinding | None = None
    if form.is_valid():
        try:
            saved = services.record_finding(
                actor=request.user,
                application=application,
                item=item,
                finding=form.cleaned_data.get("finding", "") or "",
                grade=form.cleaned_data.get("grade"),
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except services.FindingConflict as exc:
            error = str(exc)
            # Show the other reviewer's version: the form is rebuilt from what is stored now.
            form = FindingForm(item=item, graded=graded, finding=exc.current)
            saved = exc.current
        except services.ReviewError as exc:
            error = str(exc)
    else:
        # Name the problem (e.g. the text limit); the bound form keeps what was typed.
        problems = [str(e) for errors in form.errors.values() for e in errors]
        error = problems[0] if problems else str(_("Check the finding and save again."))
    if not _is_htmx(request):
        if error:
            messages.error(request, f"{item.code}: {error}")
        else:
            messages.success(request, f"{item.code}: {MSG_SAVED}")
        return HttpResponseRedirect(_worksheet_url(application, f"item-{item.code}"))
    if saved is None:
        saved = ReviewFinding.objects.filter(application=application, item=item).first()
    if not error:
        form = FindingForm(item=item, graded=graded, finding=saved)
    verdict = official_verdict(application)
    return render(
        request,
        "reviews/_finding_saved.html",
        {
            "application": application,
            "item": item,
            "form": form,
            "finding": saved,
            "error": error,
            "just_saved": not error,
            "verdict": verdict,
            "can_edit": True,
        },
    )


@login_required
@require_POST
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not permissions.can_review(request.user, application):
        raise PermissionDenied
    try:
        services.resume_review(actor=request.user, application=application)
    except (services.ReviewError, IllegalTransition) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, MSG_RESUMED)
    return redirect(_worksheet_url(application))


@login_required
def mark_remaining_met(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then record "met" for every item still unassessed (listed on the page)."""
    application = _application(request, pk)
    if not permissions.can_review(request.user, application):
        raise PermissionDenied
    items = bulk.remaining_items(application)
    if request.method == "POST":
        try:
            recorded = bulk.mark_remaining_met(
                actor=request.user, application=application, codes=request.POST.getlist("item")
            )
        except (services.ReviewError, IllegalTransition) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, MSG_MARKED_MET % {"n": len(recorded)})
            return redirect(_worksheet_url(application))
    return render(
        request,
        "reviews/mark_met.html",
        {
            "application": application,
            "items": items,
            "can_edit": application.status == ApplicationStatus.IN_FIRST_REVIEW,
        },
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """The applicant answers one comment of the latest return (from the application page):
    the item's fragment comes back (htmx), or the page for a plain post."""
    from ssmark.applications.views.common import _detail_url, get_own_application
    from ssmark.applications.views.detail import _item_response

    application = get_own_application(request, pk)
    comment = get_object_or_404(
        ReturnComment.objects.select_related("item"), pk=comment_id, round__application=application
    )
    form = ReplyForm(request.POST)
    error = ""
    if not form.is_valid():
        error = str(next(iter(form.errors.values()))[0])
    else:
        try:
            replies.answer_comment(
                actor=request.user,
                application=application,
                comment=comment,
                text=form.cleaned_data["reply"],
            )
        except Refusal as exc:
            error = exc.text
    code = comment.item.code
    if _is_htmx(request):
        typed = {"reply": request.POST.get("reply", ""), "reply_to": comment.pk} if error else None
        return _item_response(request, application, code, error, typed)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, MSG_SAVED)
    return redirect(_detail_url(application, code))


# --- return for correction --------------------------------------------------------------------


@login_required
def return_for_correction(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not permissions.can_review(request.user, application):
        raise PermissionDenied
    findings = {f.item_id: f for f in ReviewFinding.objects.filter(application=application)}
    items = list(
        Item.objects.filter(criteria_set_id=application.criteria_set_id)
        .select_related("category")
        .order_by("position")
    )
    # Prefilled from the worksheet: each item found not met (or graded 0) brings its comment.
    codes = {item.pk: item.code for item in items}
    initial = {
        ReturnForm.field_name(codes[f.item_id]): f.comment
        for f in findings.values()
        if f.comment and f.item_id in codes and (f.finding == "not_met" or f.grade == 0)
    }
    form = ReturnForm(
        request.POST if request.method == "POST" else None, items=items, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.return_for_correction(
                actor=request.user,
                application=application,
                comments=form.item_comments(),
                overall_comment=form.cleaned_data["overall_comment"],
            )
        except (services.ReviewError, IllegalTransition) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, MSG_RETURNED)
            return redirect(_worksheet_url(application))
    rows = [
        {"item": item, "field": form.bound_field_for(item.code), "finding": findings.get(item.pk)}
        for item in items
    ]
    return render(
        request,
        "reviews/return.html",
        {
            "application": application,
            "form": form,
            "rows": rows,
            "can_return": application.status == ApplicationStatus.IN_FIRST_REVIEW,
            "prefilled": len(initial),
        },
    )


# --- decision ---------------------------------------------------------------------------------


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    if not permissions.can_review(request.user, application):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose pass or reject."))
        return redirect(_worksheet_url(application, "decision"))
    data = form.cleaned_data
    try:
        services.decide(
            actor=request.user,
            application=application,
            decision=data["decision"],
            reasons=data["reasons"],
            override=data["override"],
            override_reason=data["override_reason"],
        )
    except (services.ReviewError, IllegalTransition) as exc:
        messages.error(request, str(exc))
        return redirect(_worksheet_url(application, "decision"))
    messages.success(request, MSG_PASSED if data["decision"] == Decision.PASSED else MSG_REJECTED)
    return redirect(_worksheet_url(application))


# --- history ----------------------------------------------------------------------------------


@login_required
@require_GET
def history(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    rounds = (
        ReturnRound.objects.filter(application=application)
        .select_related("returned_by")
        .prefetch_related("comments__item")
        .order_by("-number")
    )
    return render(
        request,
        "reviews/history.html",
        {
            "application": application,
            "review": getattr(application, "first_review", None),
            "rounds": rounds,
            "submissions": application.submissions.select_related("submitted_by").order_by(
                "-number"
            ),
            "trail": audit_trail(application)[:300],
        },
    )


__all__ = [
    "assign",
    "decide",
    "finding",
    "history",
    "mark_remaining_met",
    "queue",
    "reply",
    "resume",
    "return_for_correction",
    "worksheet",
]
