"""The incident declaration of the year before applying (incidents listed, or none)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ssmark.core import clock
from ssmark.core.models import audit

from ..models import Application, IncidentDeclaration, IncidentKind
from .common import _lock_editable, _touch
from .errors import (
    ERROR_EVIDENCE_NOT_HERE,
    ERROR_INCIDENT_DATE,
    ERROR_INCIDENT_FIELDS,
    ERROR_INCIDENT_KIND,
    ERROR_INCIDENTS_LISTED,
    ApplicationError,
)

# --- incidents ------------------------------------------------------------------------------


def incident_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The year before applying: [today − 1 year, today]."""
    end = today or clock.today()
    try:
        start = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28)
    return start, end


@transaction.atomic
def declare_incident(
    *,
    actor: Any,
    application: Application,
    kind: str,
    occurred_on: datetime.date | None,
    summary: str,
    measures: str,
) -> IncidentDeclaration:
    """Declare one security-failure outage or personal-data leak of the year before applying.
    Listing incidents counts as making the incident declaration."""
    current = _lock_editable(actor, application)
    if kind not in IncidentKind.values:
        raise ApplicationError(ERROR_INCIDENT_KIND)
    if occurred_on is None or not summary.strip() or not measures.strip():
        raise ApplicationError(ERROR_INCIDENT_FIELDS)
    start, end = incident_window()
    if not start <= occurred_on <= end:
        raise ApplicationError(ERROR_INCIDENT_DATE, start=start, end=end)
    incident = IncidentDeclaration.objects.create(
        application=application,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary.strip(),
        measures=measures.strip(),
        created_by=actor,
    )
    now = timezone.now()
    Application.objects.filter(pk=current.pk).update(
        no_incidents=False, incidents_declared_at=now, incidents_declared_by=actor, updated=now
    )
    application.no_incidents, application.incidents_declared_at = False, now
    application.incidents_declared_by = actor
    audit(
        actor=actor,
        action="ssmark.application.incident_declared",
        target=application,
        data={"incident": incident.pk, "kind": kind, "occurred_on": str(occurred_on)},
    )
    return incident


@transaction.atomic
def remove_incident(*, actor: Any, application: Application, incident: IncidentDeclaration) -> None:
    current = _lock_editable(actor, application)
    if incident.application_id != application.pk:
        raise ApplicationError(ERROR_EVIDENCE_NOT_HERE)
    data = {
        "incident": incident.pk,
        "kind": incident.kind,
        "occurred_on": str(incident.occurred_on),
    }
    incident.delete()
    if not current.incidents.exists():
        # With nothing listed, the declaration has to be made again (none, or the list).
        Application.objects.filter(pk=current.pk).update(
            incidents_declared_at=None, incidents_declared_by=None, no_incidents=False
        )
        application.incidents_declared_at = None
        application.incidents_declared_by = None
        application.no_incidents = False
    _touch(application)
    audit(actor=actor, action="ssmark.application.incident_removed", target=application, data=data)


@transaction.atomic
def declare_no_incidents(*, actor: Any, application: Application) -> Application:
    """Declare that there were no security-failure outages and no personal-data leaks in the
    year before applying."""
    current = _lock_editable(actor, application)
    if current.incidents.exists():
        raise ApplicationError(ERROR_INCIDENTS_LISTED)
    now = timezone.now()
    Application.objects.filter(pk=current.pk).update(
        no_incidents=True, incidents_declared_at=now, incidents_declared_by=actor, updated=now
    )
    application.no_incidents, application.incidents_declared_at = True, now
    application.incidents_declared_by = actor
    start, end = incident_window()
    audit(
        actor=actor,
        action="ssmark.application.no_incidents_declared",
        target=application,
        data={"from": str(start), "to": str(end)},
    )
    return application


def incidents_declared(application: Application) -> bool:
    return application.incidents_declared_at is not None and (
        application.no_incidents or application.incidents.exists()
    )
