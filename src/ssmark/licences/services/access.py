"""Who may see and manage licences, and the unpaid-fee rules that hold up a licence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from ssmark.accounts.models import Role, acts_for
from ssmark.applications.models import Application
from ssmark.catalog.models import ReviewType

from ..models import Licence, RenewalLink
from .rules import (
    COUNCIL,
    ERROR_LICENCE_FEE_UNPAID,
    ERROR_NOT_ALLOWED,
    ERROR_RENEWAL_FEE_OVERDUE,
    OVERSEERS,
    LicenceFeeUnpaid,
    LicenceNotAllowed,
)

if TYPE_CHECKING:
    from ssmark.fees.services import UnpaidBlock


def fee_blocks(application: Application) -> list[UnpaidBlock]:
    """What unpaid fees hold up the licence of the approved `application`, by the fee
    schedule's rules: a new licence waits for the first annual fee
    (licence_not_issued_until_annual_fee_paid); a renewal is not granted while an annual fee of
    the licence is overdue (renewal_not_granted_while_annual_fee_overdue). Empty: nothing."""
    from ssmark.fees.services import BlockedAction, unpaid_blocks

    if application.review_type == ReviewType.RENEWAL:
        link = RenewalLink.objects.filter(application=application).select_related("licence")
        found = link.first()
        if found is None:
            return []  # refused as unlinked by issue_licence
        return unpaid_blocks(action=BlockedAction.GRANT_RENEWAL, licence=found.licence)
    return unpaid_blocks(action=BlockedAction.ISSUE_LICENCE, application=application)


def _refuse_unpaid(application: Application) -> None:
    blocks = fee_blocks(application)
    if blocks:
        renewal = application.review_type == ReviewType.RENEWAL
        message = ERROR_RENEWAL_FEE_OVERDUE if renewal else ERROR_LICENCE_FEE_UNPAID
        raise LicenceFeeUnpaid(message, blocks)


def _has_role(actor: Any, roles: tuple[str, ...]) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False)) and bool(
        actor.has_role(*roles)
    )


def _require(actor: Any, roles: tuple[str, ...]) -> None:
    if not _has_role(actor, roles):
        raise LicenceNotAllowed(ERROR_NOT_ALLOWED)


def is_holder(user: Any, licence: Licence) -> bool:
    """A member of the licensed company (applicant role)."""
    return acts_for(user, licence.organisation_id, Role.APPLICANT)


def can_view(user: Any, licence: Licence) -> bool:
    """Who may see a licence's own pages (beyond the public verification page): the holder's
    members, the committee, the secretariat, administrators, and the staff of the reception
    body that handled it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_holder(user, licence) or user.has_role(*OVERSEERS):
        return True
    return acts_for(user, licence.reception_body_id, Role.RECEPTION_STAFF, Role.FIRST_REVIEWER)


def can_manage_status(user: Any) -> bool:
    return _has_role(user, COUNCIL)


def visible_licences(user: Any) -> Any:
    """The licences `user` may see on the signed-in pages (a queryset)."""
    qs = Licence.objects.select_related("organisation", "reception_body")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(*OVERSEERS):
        return qs
    cond = Q(pk__in=[])
    if user.has_role(Role.APPLICANT) and user.organisation_id:
        cond |= Q(organisation_id=user.organisation_id)
    if user.has_role(Role.RECEPTION_STAFF, Role.FIRST_REVIEWER) and user.organisation_id:
        cond |= Q(reception_body_id=user.organisation_id)
    return qs.filter(cond)
