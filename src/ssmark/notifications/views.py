"""The inbox and the bulletins. A notification is only ever shown to its recipient; a bulletin
to the secretariat and to members of the holders it was sent to (404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ssmark.core import query

from . import services
from .forms import BulletinForm
from .models import BulletinStatus, Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    qs = services.inbox(request.user).select_related("bulletin")
    page = Paginator(qs, 50).get_page(query.page_param(request))
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": qs.filter(read_at__isnull=True).count()},
    )


def _own(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(services.inbox(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """GET only shows (a link preview or prefetch must not mark anything read); opening from
    the inbox is a POST, which marks the notification read and shows it."""
    notification = _own(request, pk)
    if request.method == "POST":
        services.mark_read(user=request.user, notification=notification)
        return redirect("notifications:detail", pk=notification.pk)
    return render(request, "notifications/detail.html", {"notification": notification})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.mark_read(user=request.user, notification=_own(request, pk))
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def bulletins(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/bulletins.html",
        {
            "bulletins": services.visible_bulletins(request.user).order_by("-sent_at", "-created"),
            "can_write": services.can_write_bulletins(request.user),
        },
    )


@login_required
def bulletin_new(request: HttpRequest) -> HttpResponse:
    if not services.can_write_bulletins(request.user):
        raise PermissionDenied
    form = BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bulletin = form.save(commit=False)
        bulletin.created_by = request.user
        bulletin.save()
        form.save_m2m()
        return redirect("notifications:bulletin", pk=bulletin.pk)
    return render(request, "notifications/bulletin_form.html", {"form": form})


@login_required
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(services.visible_bulletins(request.user), pk=pk)
    can_write = services.can_write_bulletins(request.user)
    holders = []
    if can_write:
        holders = (
            list(services.holder_organisations(item))
            if item.status == BulletinStatus.DRAFT
            else [d.organisation for d in item.deliveries.select_related("organisation")]
        )
    return render(
        request,
        "notifications/bulletin_detail.html",
        {
            "bulletin": item,
            "can_write": can_write,
            "holders": holders,
            "recipient_count": len(services.bulletin_recipients(item))
            if can_write and item.status == BulletinStatus.DRAFT
            else item.recipient_count,
        },
    )


@login_required
@require_POST
def bulletin_send(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(services.visible_bulletins(request.user), pk=pk)
    try:
        count = services.send_bulletin(bulletin=item, actor=request.user)
    except PermissionError:
        raise PermissionDenied from None
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The bulletin was sent to %(count)s recipients.") % {"count": count}
        )
    return redirect("notifications:bulletin", pk=item.pk)
