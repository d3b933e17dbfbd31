"""Who may receive which event: the organisations that handle the object.

An ISP receives only events about its own licences, applications and invoices; a reception
body those of what it handles (licences and applications it received, invoices it issued);
the secretariat every event. Applications reach a reception body only once submitted (the
same rule as the pages: `has_been_submitted`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ssmark.accounts.models import Organisation, OrganisationKind, Role

# Who acts for an organisation of each kind when managing its webhook endpoints.
MANAGERS: dict[str, tuple[str, ...]] = {
    OrganisationKind.APPLICANT: (Role.APPLICANT,),
    OrganisationKind.RECEPTION_BODY: (Role.RECEPTION_STAFF,),
    OrganisationKind.SECRETARIAT: (Role.SECRETARIAT, Role.ADMINISTRATOR),
}


def managing_roles(organisation: Organisation) -> tuple[str, ...]:
    return MANAGERS.get(organisation.kind, ())


def secretariat_ids() -> set[int]:
    return set(
        Organisation.objects.filter(kind=OrganisationKind.SECRETARIAT).values_list("pk", flat=True)
    )


def _ids(*values: Any) -> set[int]:
    return {int(v) for v in values if v is not None}


def for_licence(licence: Any) -> set[int]:
    return _ids(licence.organisation_id, licence.reception_body_id) | secretariat_ids()


def for_application(application: Any) -> set[int]:
    from ssmark.applications.permissions import has_been_submitted

    ids = _ids(application.organisation_id)
    if has_been_submitted(application):
        ids |= _ids(application.reception_body_id) | secretariat_ids()
    return ids


def for_invoice(invoice: Any) -> set[int]:
    return _ids(invoice.addressee_id, invoice.issuer_id) | secretariat_ids()


def for_bulletin(organisation_ids: Iterable[int]) -> set[int]:
    return set(organisation_ids) | secretariat_ids()
