"""The applicant answers the reviewer's comments item by item, while the application is
returned for correction; the reviewer reads the answers on the worksheet beside the changes."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ssmark.applications.models import Application, ApplicationStatus
from ssmark.applications.permissions import can_edit_application
from ssmark.core import clock
from ssmark.core.models import audit
from ssmark.core.refusals import NotAllowed, WrongState

from .models import ReturnComment
from .queries import latest_return_round

ERROR_NOT_RETURNED = _("Comments can be answered only while the application is returned.")
ERROR_NOT_YOURS = _("Only a member of the applicant company can answer the comments.")


def answer_comment(
    *, actor: Any, application: Application, comment: ReturnComment, text: str
) -> ReturnComment:
    """Record (or change) the applicant's answer to one comment of the latest return."""
    if not can_edit_application(actor, application):
        raise NotAllowed(ERROR_NOT_YOURS)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        latest = latest_return_round(app)
        if (
            app.status != ApplicationStatus.RETURNED
            or latest is None
            or comment.round_id != latest.pk
        ):
            raise WrongState(ERROR_NOT_RETURNED)
        current = ReturnComment.objects.select_for_update().get(pk=comment.pk)
        current.reply = text.strip()
        current.replied_at = clock.now()
        current.replied_by = actor
        current.save(update_fields=["reply", "replied_at", "replied_by"])
        audit(
            actor=actor,
            action="ssmark.application.item_answered",
            target=app,
            comment=current.reply,
            data={"item": current.item.code, "round": latest.number},
        )
    return current
