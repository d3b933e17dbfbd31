"""The state tables of licences and incident reports, and the one function that changes each.

Services check roles and business rules, then call `transition()` (a licence) or
`transition_incident()` (an incident report) inside their transaction; a step that is not in
the table raises `LicenceError` and changes nothing. Diagrams: docs/states.md.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ssmark.core import events, statetables
from ssmark.core.models import audit
from ssmark.core.refusals import Refusal

from .models import IncidentReport, IncidentStatus, Licence, LicenceStatus, StatusChange

I = IncidentStatus  # noqa: E741

ERROR_ILLEGAL_STATUS = _("A licence cannot go from “%(from)s” to “%(to)s”.")
ERROR_INCIDENT_CLOSED = _("This incident is closed.")


class LicenceError(Refusal):
    """A licence workflow rule refused the change; the message is one of the ERROR_ constants
    (ssmark.licences.services.rules)."""

    default_code = "licence_refused"


# Allowed status changes (a revoked licence stays revoked).
TRANSITIONS: dict[str, frozenset[str]] = {
    LicenceStatus.ACTIVE: frozenset(
        {
            LicenceStatus.RENEWAL_PENDING,
            LicenceStatus.SUSPENDED,
            LicenceStatus.REVOKED,
            LicenceStatus.LAPSED,
        }
    ),
    LicenceStatus.RENEWAL_PENDING: frozenset(
        {LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.LAPSED}
    ),
    LicenceStatus.SUSPENDED: frozenset(
        {
            LicenceStatus.ACTIVE,
            LicenceStatus.RENEWAL_PENDING,
            LicenceStatus.REVOKED,
            LicenceStatus.LAPSED,
        }
    ),
    LicenceStatus.LAPSED: frozenset(
        {LicenceStatus.ACTIVE}
    ),  # a renewal applied for in time but approved late
    LicenceStatus.REVOKED: frozenset(),
}

TABLE = statetables.register(
    "Licence",
    LicenceStatus,
    TRANSITIONS,
    initial=LicenceStatus.ACTIVE,
    refusal=lambda a, b: LicenceError(
        ERROR_ILLEGAL_STATUS, {"from": LicenceStatus(a).label, "to": LicenceStatus(b).label}
    ),
)

# An incident is investigated (each investigation or recommendation keeps it so) until closed.
INCIDENT_TRANSITIONS: dict[str, frozenset[str]] = {
    I.REPORTED: frozenset({I.INVESTIGATING, I.CLOSED}),
    I.INVESTIGATING: frozenset({I.INVESTIGATING, I.CLOSED}),
    I.CLOSED: frozenset(),
}

INCIDENT_TABLE = statetables.register(
    "IncidentReport",
    I,
    INCIDENT_TRANSITIONS,
    initial=I.REPORTED,
    refusal=lambda a, b: LicenceError(ERROR_INCIDENT_CLOSED),
)


def transition(
    licence: Licence,
    *,
    to_status: str,
    actor: Any,
    action: str,
    reason: str = "",
    ground: str = "",
) -> None:
    """Move a (locked) licence to `to_status`: the history row, the audit entry, the event."""
    from_status = licence.status
    TABLE.check(from_status, to_status)
    licence.status = to_status
    licence.save(update_fields=["status", "updated"])
    StatusChange.objects.create(
        licence=licence,
        from_status=from_status,
        to_status=to_status,
        ground=ground,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(
        actor=actor,
        action=action,
        target=licence,
        from_state=from_status,
        to_state=to_status,
        comment=reason,
        data={"number": licence.number, "ground": ground} if ground else {"number": licence.number},
    )
    events.licence_status_changed.send(
        sender=Licence,
        licence=licence,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor=actor,
    )


def transition_incident(
    incident: IncidentReport,
    *,
    to_status: str,
    actor: Any,
    action: str = "",
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Move a (locked) incident report to `to_status`; audited as `action` when one is given
    (a recommendation audits itself)."""
    from_status = incident.status
    INCIDENT_TABLE.check(from_status, to_status)
    incident.status = to_status
    incident.save(update_fields=["status"])
    if action:
        audit(
            actor=actor,
            action=action,
            target=incident,
            from_state=from_status,
            to_state=to_status,
            comment=comment,
            data=data or {},
        )
