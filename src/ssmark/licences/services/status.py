"""Suspension, revocation and reinstatement."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ..models import VALID_STATUSES, Ground, Licence, LicenceStatus
from ..states import transition
from .access import _require
from .renewal import open_renewal
from .rules import (
    COUNCIL,
    ERROR_GROUND_REQUIRED,
    ERROR_ILLEGAL_STATUS,
    ERROR_REASON_REQUIRED,
    LicenceError,
)

# --- Suspension, revocation, reinstatement ----------------------------------------------------


def _check_ground(ground: str, reason: str) -> str:
    if ground not in Ground.values:
        raise LicenceError(ERROR_GROUND_REQUIRED)
    reason = (reason or "").strip()
    if not reason:
        raise LicenceError(ERROR_REASON_REQUIRED)
    return reason


def suspend_licence(*, licence: Licence, actor: Any, ground: str, reason: str) -> Licence:
    """Suspend a valid licence on one of the scheme's grounds, with a written reason."""
    _require(actor, COUNCIL)
    reason = _check_ground(ground, reason)
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=licence.pk)
        if lic.status not in VALID_STATUSES:
            raise LicenceError(
                ERROR_ILLEGAL_STATUS,
                {"from": LicenceStatus(lic.status).label, "to": LicenceStatus.SUSPENDED.label},
            )
        transition(
            lic,
            to_status=LicenceStatus.SUSPENDED,
            actor=actor,
            action="ssmark.licence.suspended",
            reason=reason,
            ground=ground,
        )
    return lic


def revoke_licence(*, licence: Licence, actor: Any, ground: str, reason: str) -> Licence:
    """Revoke a licence (valid or suspended) on one of the scheme's grounds, with a reason.
    Final: a revoked licence cannot be reinstated or renewed; its number is not reused."""
    _require(actor, COUNCIL)
    reason = _check_ground(ground, reason)
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=licence.pk)
        transition(
            lic,
            to_status=LicenceStatus.REVOKED,
            actor=actor,
            action="ssmark.licence.revoked",
            reason=reason,
            ground=ground,
        )
    return lic


def reinstate_licence(*, licence: Licence, actor: Any, reason: str) -> Licence:
    """Lift a suspension: back to active (or renewal pending if a renewal is in progress)."""
    _require(actor, COUNCIL)
    reason = (reason or "").strip()
    if not reason:
        raise LicenceError(ERROR_REASON_REQUIRED)
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=licence.pk)
        if lic.status != LicenceStatus.SUSPENDED:
            raise LicenceError(
                ERROR_ILLEGAL_STATUS,
                {"from": LicenceStatus(lic.status).label, "to": LicenceStatus.ACTIVE.label},
            )
        target = (
            LicenceStatus.RENEWAL_PENDING if open_renewal(lic) is not None else LicenceStatus.ACTIVE
        )
        transition(
            lic, to_status=target, actor=actor, action="ssmark.licence.reinstated", reason=reason
        )
    return lic
