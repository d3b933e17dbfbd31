"""The committee session's state table and the one function that changes a session's state.

planned → held (opened) → closed. Services check roles and business rules (the date, members
present, every item decided), then call `transition()` in their transaction; a step not in
the table raises `CommitteeError` and changes nothing. Diagram: docs/states.md.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ssmark.core import clock, statetables
from ssmark.core.models import audit
from ssmark.core.refusals import Refusal

from .models import Session, SessionStatus

ERROR_SESSION_NOT_PLANNED = _("Only a planned session can be opened or have its date changed.")
ERROR_SESSION_CLOSED = _("This session is closed and can no longer be changed.")
ERROR_SESSION_NOT_HELD = _("Decisions can only be recorded while the session is being held.")


class CommitteeError(Refusal):
    """A committee rule refused the request; `str(error)` is the message for the user."""

    default_code = "committee_refused"


TRANSITIONS: dict[str, frozenset[str]] = {
    SessionStatus.PLANNED: frozenset({SessionStatus.HELD}),
    SessionStatus.HELD: frozenset({SessionStatus.CLOSED}),
    SessionStatus.CLOSED: frozenset(),
}

# The refusal names what the step needs: opening needs a planned session, closing a held one.
_REFUSED_BY_TARGET = {
    SessionStatus.HELD: ERROR_SESSION_NOT_PLANNED,
    SessionStatus.CLOSED: ERROR_SESSION_NOT_HELD,
    SessionStatus.PLANNED: ERROR_SESSION_CLOSED,
}

TABLE = statetables.register(
    "Session",
    SessionStatus,
    TRANSITIONS,
    initial=SessionStatus.PLANNED,
    refusal=lambda _from, to: CommitteeError(
        _REFUSED_BY_TARGET[SessionStatus(to)], code="wrong_state"
    ),
)

# When each state was entered is kept on the session.
_STAMPS = {SessionStatus.HELD: "opened_at", SessionStatus.CLOSED: "closed_at"}


def transition(
    session: Session,
    *,
    to_status: str,
    actor: Any,
    action: str,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Move a (locked) session to `to_status`, stamp when, and audit it as `action`."""
    from_status = session.status
    TABLE.check(from_status, to_status)
    session.status = to_status
    fields = ["status"]
    stamp = _STAMPS.get(SessionStatus(to_status))
    if stamp:
        setattr(session, stamp, clock.now())
        fields.append(stamp)
    session.save(update_fields=fields)
    audit(
        actor=actor,
        action=action,
        target=session,
        from_state=from_status,
        to_state=to_status,
        comment=comment,
        data=data or {},
    )
