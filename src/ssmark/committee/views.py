"""Committee pages. Only committee members, the secretariat and administrators see them; anyone
else gets 404 (nothing reveals that a session or an agenda item exists)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dates import MONTHS
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ssmark.accounts.models import User
from ssmark.core import clock

from . import agenda, dossier, pdf, services
from .calendar import session_calendar
from .forms import DecisionForm, MoveItemForm, OptionalReasonForm, ReasonForm, SessionForm
from .models import AgendaItem, Session, SessionStatus


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not services.can_view(user):
        raise Http404
    assert isinstance(user, User)
    return user


def _session(request: HttpRequest, pk: int) -> tuple[User, Session]:
    user = _viewer(request)
    return user, get_object_or_404(Session.objects.select_related("chair"), pk=pk)


def _item(request: HttpRequest, pk: int) -> tuple[User, AgendaItem]:
    user = _viewer(request)
    item = get_object_or_404(
        AgendaItem.objects.select_related(
            "session",
            "application__organisation",
            "application__reception_body",
            "application__criteria_set",
            "decided_by",
            "carried_from__session",
        ),
        pk=pk,
    )
    return user, item


def _month_list(months: tuple[int, ...]) -> str:
    separator = ", " if (get_language() or "ja").startswith("en") else "・"
    return separator.join(str(MONTHS[m]) for m in months)


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    today = clock.today()
    rows = Session.objects.select_related("chair").annotate(
        n_items=Count("items"), n_pending=Count("items", filter=Q(items__decision=""))
    )
    upcoming = rows.exclude(status=SessionStatus.CLOSED).order_by("date")
    past = rows.filter(status=SessionStatus.CLOSED).order_by("-date")
    can_schedule = services.can_schedule(user)
    return render(
        request,
        "committee/sessions.html",
        {
            "upcoming": upcoming,
            "past": past,
            "today": today,
            "proposals": services.proposed_dates(today=today) if can_schedule else [],
            "months": _month_list(session_calendar().months),
            "can_schedule": can_schedule,
            "waiting": services.waiting_applications(),
        },
    )


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    if not services.can_schedule(user):
        raise Http404
    calendar = session_calendar()
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.schedule_session(
                    actor=user,
                    date=data["date"],
                    start_time=data["start_time"],
                    place=data["place"],
                    online=data["online"],
                    chair=data["chair"],
                    members=list(data["members"]),
                    notes=data["notes"],
                )
            except services.CommitteeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The session has been scheduled."))
                return redirect("committee:session", pk=session.pk)
    else:
        proposals = services.proposed_dates()
        initial: dict[str, Any] = {
            "date": request.GET.get("date") or (proposals[0] if proposals else None),
            "start_time": calendar.default_time,
            "place": calendar.default_place,
            "online": calendar.default_online,
            "members": list(services.committee_members()),
        }
        form = SessionForm(initial=initial)
    return render(request, "committee/session_form.html", {"form": form, "session": None})


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _session(request, pk)
    if not services.can_schedule(user) or session.status == SessionStatus.CLOSED:
        raise Http404
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_session(
                    session=session,
                    actor=user,
                    date=data["date"],
                    start_time=data["start_time"],
                    place=data["place"],
                    online=data["online"],
                    chair=data["chair"],
                    members=list(data["members"]),
                    notes=data["notes"],
                )
            except services.CommitteeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The session has been updated."))
                return redirect("committee:session", pk=session.pk)
    else:
        form = SessionForm(initial=SessionForm.initial_for(session))
    return render(request, "committee/session_form.html", {"form": form, "session": session})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _session(request, pk)
    items = (
        session.items.select_related(
            "application__organisation", "application__reception_body", "carried_from__session"
        )
        .prefetch_related("application__licences")
        .order_by("position", "id")
    )
    can_add = services.can_schedule(user) and session.status != SessionStatus.CLOSED
    return render(
        request,
        "committee/session_detail.html",
        {
            "session": session,
            "items": items,
            "members": session.members.order_by("last_name", "first_name", "username"),
            "can_edit": services.can_schedule(user) and session.status != SessionStatus.CLOSED,
            "can_run": services.can_run(user, session),
            "can_decide": services.can_decide(user, session) and session.is_open,
            "can_add": can_add,
            "waiting": services.waiting_applications() if can_add else [],
            "movable": agenda.movable_items(session) if can_add else [],
            "can_delete": services.can_schedule(user) and agenda.can_delete(session),
            "open_form": ReasonForm(),  # the reason for opening before the date
            "today": clock.today(),
        },
    )


def _run(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user, session = _session(request, pk)
    if not services.can_run(user, session):
        raise Http404
    try:
        if action == "open":
            reason_form = OptionalReasonForm(request.POST)
            if not reason_form.is_valid():
                for error in reason_form.errors.get("reason", []):
                    messages.error(request, str(error))
                return redirect("committee:session", pk=session.pk)
            services.open_session(
                session=session, actor=user, reason=reason_form.cleaned_data["reason"]
            )
            messages.success(request, _("The session is open: decisions can now be recorded."))
        else:
            services.close_session(session=session, actor=user)
            messages.success(request, _("The session is closed; the minutes are final."))
    except services.CommitteeError as exc:
        messages.error(request, str(exc))
    return redirect("committee:session", pk=session.pk)


@login_required
@require_POST
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, "open")


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, "close")


@login_required
@require_POST
def session_add_waiting(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat puts the applications waiting for the second review on this agenda."""
    user, session = _session(request, pk)
    if not services.can_schedule(user) or session.status == SessionStatus.CLOSED:
        raise Http404
    added = 0
    try:
        for application in services.waiting_applications():
            if services.place_on_agenda(application=application, actor=user, session=session):
                added += 1
    except services.CommitteeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(n)s application(s) added to the agenda.") % {"n": added})
    return redirect("committee:session", pk=session.pk)


@login_required
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then delete a planned session on which nothing was decided."""
    user, session = _session(request, pk)
    if not services.can_schedule(user):
        raise Http404
    form = OptionalReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = agenda.delete_session(
                session=session, actor=user, reason=form.cleaned_data["reason"]
            )
        except services.CommitteeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The session has been deleted; %(n)s application(s) moved to the next session.")
                % {"n": len(moved)},
            )
            return redirect("committee:sessions")
    return render(
        request,
        "committee/session_delete.html",
        {
            "session": session,
            "form": form,
            "items": session.items.select_related("application__organisation"),
            "deletable": agenda.can_delete(session),
            "following": services.next_planned_session(after=session.date)
            or services.next_planned_session(),
        },
    )


@login_required
def item_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an undecided application to another session that is not closed, with a reason."""
    user, item = _item(request, pk)
    if not services.can_schedule(user) or item.decision:
        raise Http404
    sessions = agenda.target_sessions(item)
    initial = {"to_session": request.GET.get("to")} if request.GET.get("to") else None
    form = MoveItemForm(request.POST or None, sessions=sessions, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agenda.move_item(
                agenda_item=item,
                to_session=form.cleaned_data["to_session"],
                actor=user,
                reason=form.cleaned_data["reason"],
            )
        except services.CommitteeError as exc:
            form.add_error(None, str(exc))
        else:
            target = form.cleaned_data["to_session"]
            messages.success(
                request,
                _("The application has been moved to the session of %(date)s.")
                % {"date": target.date.strftime("%Y-%m-%d")},
            )
            return redirect("committee:session", pk=target.pk)
    return render(request, "committee/item_move.html", {"item": item, "form": form})


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _user, session = _session(request, pk)
    return _pdf_response(pdf.agenda_pdf(session), f"agenda-{session.date:%Y%m%d}.pdf")


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _user, session = _session(request, pk)
    if session.status == SessionStatus.PLANNED:
        raise Http404
    return _pdf_response(pdf.minutes_pdf(session), f"minutes-{session.date:%Y%m%d}.pdf")


def _licence_waiting_message(blocks: list[Any]) -> str:
    return _("The licence will be issued once the fee is paid: %(reasons)s") % {
        "reasons": " ".join(b.message for b in blocks)
    }


@login_required
@require_POST
def item_issue_licence(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the licence of an approved application that waited for its fee to be paid."""
    user, item = _item(request, pk)
    try:
        licence = services.issue_waiting_licence(agenda_item=item, actor=user)
    except services.CommitteeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Licence %(number)s has been issued.") % {"number": licence.number}
        )
    return redirect("committee:item", pk=item.pk)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, item = _item(request, pk)
    form = None
    if request.method == "POST":
        if not (services.can_decide(user, item.session) and item.session.is_open):
            raise Http404
        form = DecisionForm(request.POST, session=item.session)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_decision(
                    agenda_item=item,
                    decision=data["decision"],
                    reasons=data["reasons"],
                    actor=user,
                    members_present=list(data["members_present"]),
                )
            except services.CommitteeError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The decision has been recorded."))
                waiting = services.licence_fee_blocks(item.application)
                if waiting:
                    messages.warning(request, _licence_waiting_message(waiting))
                return redirect("committee:item", pk=item.pk)
    elif not item.decision and item.session.is_open and services.can_decide(user, item.session):
        form = DecisionForm(session=item.session)
    history = (
        AgendaItem.objects.filter(application=item.application)
        .exclude(pk=item.pk)
        .select_related("session")
        .order_by("session__date")
    )
    licence = item.application.licences.order_by("-pk").first()
    application = item.application
    licence_waiting = item.decision == "approved" and services.licence_waiting(application)
    return render(
        request,
        "committee/item_detail.html",
        {
            # "Review fee unpaid": an approval would be refused (the fee schedule's rule).
            "decision_blocks": services.decision_fee_blocks(application)
            if form is not None and not item.decision
            else [],
            # Approved, the licence held up by an unpaid fee; issued from here once paid.
            "licence_waiting": licence_waiting,
            "licence_blocks": services.licence_fee_blocks(application) if licence_waiting else [],
            "item": item,
            "session": item.session,
            "application": item.application,
            "dossier": dossier.build(item.application),
            "form": form,
            "history": history,
            "licence": licence,
            "members_present": item.members_present.order_by("last_name", "first_name"),
        },
    )
