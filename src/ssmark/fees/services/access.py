"""Who may see and handle invoices."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ssmark.accounts.models import Role

from ..models import Invoice


def is_fees_staff(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR, Role.RECEPTION_STAFF)
    )


def visible_invoices(user: Any) -> QuerySet[Invoice]:
    """Invoices `user` may see: all (secretariat, administrators), those their body issued
    (reception staff), those addressed to their company (applicant members)."""
    qs = Invoice.objects.select_related("issuer", "addressee")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR):
        return qs
    scope = Q(pk__in=[])
    if user.organisation_id is not None:
        if user.has_role(Role.RECEPTION_STAFF):
            scope |= Q(issuer_id=user.organisation_id)
        if user.has_role(Role.APPLICANT):
            scope |= Q(addressee_id=user.organisation_id)
    return qs.filter(scope)


def can_manage(user: Any, invoice: Invoice) -> bool:
    """May record payments on and correct `invoice`."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR):
        return True
    return bool(user.has_role(Role.RECEPTION_STAFF) and user.organisation_id == invoice.issuer_id)
