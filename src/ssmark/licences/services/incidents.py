"""Incident reports on a licence: report, investigate, recommend, respond, close."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from ssmark.core import clock, events
from ssmark.core.models import audit

from ..models import (
    IncidentReport,
    IncidentStatus,
    Investigation,
    Licence,
    Recommendation,
    RecommendationResponse,
)
from ..states import transition_incident
from .access import _has_role, _require, is_holder
from .rules import (
    ERROR_INCIDENT_CLOSED,
    ERROR_INCIDENT_DATE,
    ERROR_NOT_ALLOWED,
    ERROR_TEXT_REQUIRED,
    INVESTIGATORS,
    LicenceError,
    LicenceNotAllowed,
)

# --- Incidents --------------------------------------------------------------------------------


def can_see_incidents_of(user: Any, licence: Licence) -> bool:
    return is_holder(user, licence) or _has_role(user, INVESTIGATORS)


def can_see_incident(user: Any, incident: IncidentReport) -> bool:
    return can_see_incidents_of(user, incident.licence)


def _text(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise LicenceError(ERROR_TEXT_REQUIRED)
    return value


def report_incident(
    *,
    licence: Licence,
    actor: Any,
    kind: str,
    occurred_on: datetime.date,
    summary: str,
    impact: str,
    measures: str,
) -> IncidentReport:
    """A licence holder reports a security-failure outage or a personal-data leak."""
    if not is_holder(actor, licence):
        raise LicenceNotAllowed(ERROR_NOT_ALLOWED)
    if occurred_on > clock.today():
        raise LicenceError(ERROR_INCIDENT_DATE)
    with transaction.atomic():
        incident = IncidentReport.objects.create(
            licence=licence,
            kind=kind,
            occurred_on=occurred_on,
            summary=_text(summary),
            impact=_text(impact),
            measures=_text(measures),
            reported_by=actor,
        )
        audit(
            actor=actor,
            action="ssmark.incident.reported",
            target=incident,
            to_state=incident.status,
            data={"licence": licence.number, "kind": kind},
        )
    return incident


def _open_incident(incident: IncidentReport) -> IncidentReport:
    locked = (
        IncidentReport.objects.select_for_update(of=("self",))
        .select_related("licence")
        .get(pk=incident.pk)
    )
    if locked.status == IncidentStatus.CLOSED:
        raise LicenceError(ERROR_INCIDENT_CLOSED)
    return locked


def record_investigation(
    *, incident: IncidentReport, actor: Any, findings: str, refused: bool = False
) -> Investigation:
    _require(actor, INVESTIGATORS)
    with transaction.atomic():
        locked = _open_incident(incident)
        entry = Investigation.objects.create(
            incident=locked, findings=_text(findings), refused=refused, recorded_by=actor
        )
        transition_incident(
            locked,
            to_status=IncidentStatus.INVESTIGATING,
            actor=actor,
            action="ssmark.incident.investigated",
            comment=entry.findings,
            data={"refused": refused},
        )
    return entry


def issue_recommendation(
    *,
    incident: IncidentReport,
    actor: Any,
    text: str,
    respond_by: datetime.date | None = None,
) -> Recommendation:
    _require(actor, INVESTIGATORS)
    with transaction.atomic():
        locked = _open_incident(incident)
        rec = Recommendation.objects.create(
            incident=locked, text=_text(text), respond_by=respond_by, issued_by=actor
        )
        if locked.status == IncidentStatus.REPORTED:
            transition_incident(locked, to_status=IncidentStatus.INVESTIGATING, actor=actor)
        audit(
            actor=actor,
            action="ssmark.incident.recommendation_issued",
            target=locked,
            comment=rec.text,
            data={"recommendation": rec.pk, "respond_by": str(respond_by or "")},
        )
        events.incident_recommendation_issued.send(
            sender=Licence,
            licence=locked.licence,
            incident=locked,
            recommendation=rec.text,
            actor=actor,
        )
    return rec


def respond_to_recommendation(
    *, recommendation: Recommendation, actor: Any, text: str
) -> RecommendationResponse:
    incident = recommendation.incident
    if not is_holder(actor, incident.licence):
        raise LicenceNotAllowed(ERROR_NOT_ALLOWED)
    with transaction.atomic():
        locked = _open_incident(incident)
        response = RecommendationResponse.objects.create(
            recommendation=recommendation, text=_text(text), responded_by=actor
        )
        audit(
            actor=actor,
            action="ssmark.incident.responded",
            target=locked,
            comment=response.text,
            data={"recommendation": recommendation.pk},
        )
    return response


def close_incident(*, incident: IncidentReport, actor: Any, reason: str) -> IncidentReport:
    _require(actor, INVESTIGATORS)
    with transaction.atomic():
        locked = _open_incident(incident)
        transition_incident(
            locked,
            to_status=IncidentStatus.CLOSED,
            actor=actor,
            action="ssmark.incident.closed",
            comment=_text(reason),
        )
    return locked
