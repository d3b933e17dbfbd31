"""Signal receivers: an application that passes the first review joins the next agenda."""

from __future__ import annotations

from typing import Any

from ssmark.applications.models import Application


def on_first_review_decided(
    sender: Any, *, application: Application, passed: bool, actor: Any = None, **kwargs: Any
) -> None:
    # Runs inside the first review's transaction: the agenda item exists only if the pass does.
    if not passed:
        return
    from .services import CommitteeError, place_on_agenda

    try:
        place_on_agenda(application=application, actor=actor)
    except CommitteeError:
        # Not (or no longer) first_review_passed: nothing to put on an agenda.
        return
