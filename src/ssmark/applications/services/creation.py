"""Creating an application (and carrying a renewal's answers, evidence and audits over) and
changing its contacts.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from ssmark.accounts.models import Organisation, Role
from ssmark.catalog.models import Item, ReviewType, Scheme
from ssmark.core import clock
from ssmark.core.models import audit

from .. import assessment
from ..models import Application, Evidence, EvidenceKind, ItemAnswer, SecurityAuditRecord
from .common import _lock_editable
from .errors import (
    ERROR_NO_CRITERIA_SET,
    ERROR_NOT_APPLICANT,
    ERROR_NOT_RECEPTION_BODY,
    ERROR_SERVICE_NAME,
    ApplicationError,
)

# --- creating -------------------------------------------------------------------------------


@transaction.atomic
def create_application(
    *,
    actor: Any,
    service_name: str,
    reception_body: Organisation,
    scheme: str = Scheme.ISP,
    review_type: str = ReviewType.NEW,
    responsible_manager: str = "",
    responsible_manager_email: str = "",
    pim_manager: str = "",
    pim_manager_email: str = "",
    renew_from: Application | None = None,
    today: datetime.date | None = None,
) -> Application:
    """A new draft for one service of the actor's company, pinned to the set in force today.

    For a renewal, `renew_from` (an earlier application of the same company) carries its
    answers over, each marked "carried over — check again", with their evidence (web
    addresses, files and signed declarations) and its audits of the last 12 months (item
    1-1-2); see `_carry_over`.
    """
    from ssmark.catalog.services import current_set

    organisation = getattr(actor, "organisation", None)
    if (
        not getattr(actor, "is_authenticated", False)
        or organisation is None
        or not organisation.is_applicant
        or not actor.has_role(Role.APPLICANT)
    ):
        raise ApplicationError(ERROR_NOT_APPLICANT)
    if not service_name.strip():
        raise ApplicationError(ERROR_SERVICE_NAME)
    if not reception_body.is_reception_body:
        raise ApplicationError(ERROR_NOT_RECEPTION_BODY)
    if renew_from is not None and renew_from.organisation_id != organisation.pk:
        raise ApplicationError(ERROR_NOT_APPLICANT)
    criteria_set = current_set(Scheme(scheme), today or clock.today())
    if criteria_set is None:
        raise ApplicationError(ERROR_NO_CRITERIA_SET)
    application = Application.objects.create(
        organisation=organisation,
        service_name=service_name.strip(),
        scheme=scheme,
        review_type=review_type,
        reception_body=reception_body,
        criteria_set=criteria_set,
        responsible_manager=responsible_manager.strip(),
        responsible_manager_email=responsible_manager_email.strip(),
        pim_manager=pim_manager.strip(),
        pim_manager_email=pim_manager_email.strip(),
        created_by=actor,
    )
    carried = 0
    if renew_from is not None:
        carried = _carry_over(application, renew_from, actor, today or clock.today())
    audit(
        actor=actor,
        action="ssmark.application.created",
        target=application,
        to_state=application.status,
        data={
            "criteria_set": criteria_set.set_id,
            "review_type": review_type,
            "reception_body": reception_body.code,
            "renew_from": renew_from.pk if renew_from else None,
            "carried_over": carried,
        },
    )
    return application


def _carry_over(
    application: Application, previous: Application, actor: Any, today: datetime.date
) -> int:
    """Copy `previous`'s answers (matched by item code: the set in force may be newer) and
    what backs them into the new draft `application`, everything marked carried over.

    - Evidence: web addresses, files and signed declarations (a declaration only where the
      item still asks for the same signer). A file is not copied: the new row refers to the
      same stored file (same name, SHA-256, size, type and original name); storage.release()
      deletes a stored file only when no row and no submitted round refers to it any more, so
      removing the carried-over file from the renewal keeps the previous application's file.
    - Audits (item 1-1-2) dated within the 12 months before `today` (they may still count for
      the renewal), limited to the audit items of the new set; older audits are left behind.
    - Scan reports (and the statements and host roles that go with them) are NOT carried over:
      the vulnerability diagnosis must be fresh.
    Returns the number of answers carried over.
    """
    items = {i.code: i for i in Item.objects.filter(criteria_set_id=application.criteria_set_id)}
    count = 0
    for old in previous.answers.select_related("item").prefetch_related("evidence"):
        item = items.get(old.item.code)
        if item is None:
            continue
        evidence = [ev for ev in old.evidence.all() if _carries(ev, item)]
        if not (old.is_answered or old.explanation or evidence):
            continue
        answer = ItemAnswer.objects.create(
            application=application,
            item=item,
            claim=old.claim if not item.is_graded else "",
            grade=old.grade if item.is_graded else None,
            explanation=old.explanation,
            carried_over=True,
            updated_by=actor,
        )
        Evidence.objects.bulk_create(
            Evidence(
                answer=answer,
                kind=ev.kind,
                url=ev.url,
                signer=ev.signer,
                signer_name=ev.signer_name,
                signed_on=ev.signed_on,
                statement=ev.statement,
                carried_over=True,
                uploaded_by=actor,
                **_same_file(ev),
            )
            for ev in evidence
        )
        count += 1
    _carry_audits_over(application, previous, actor, today)
    return count


def _carries(evidence: Evidence, item: Item) -> bool:
    if evidence.kind == EvidenceKind.URL:
        return bool(evidence.url)
    if evidence.kind == EvidenceKind.FILE:
        return evidence.has_file
    if evidence.kind == EvidenceKind.DECLARATION:
        return assessment.signer_for(item) == evidence.signer
    return False


def _same_file(stored: Evidence | SecurityAuditRecord) -> dict[str, Any]:
    """The file fields of a carried-over row: the same stored file, never a copy."""
    if not stored.has_file:
        return {}
    return {
        "file": stored.file.name,
        "original_name": stored.original_name,
        "content_type": stored.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
    }


def _carry_audits_over(
    application: Application, previous: Application, actor: Any, today: datetime.date
) -> None:
    recent = list(
        previous.audits.filter(
            audited_on__gte=assessment.months_before(today, 12), audited_on__lte=today
        )
    )
    if not recent:
        return
    known = assessment.security_audit_item_codes(application)
    rows = []
    for record in recent:
        covered = [code for code in record.covered if code in known]
        if not covered:
            continue
        rows.append(
            SecurityAuditRecord(
                application=application,
                audited_on=record.audited_on,
                auditor=record.auditor,
                auditor_kind=record.auditor_kind,
                covered=covered,
                carried_over=True,
                created_by=actor,
                **_same_file(record),
            )
        )
    SecurityAuditRecord.objects.bulk_create(rows)


@transaction.atomic
def update_contacts(
    *,
    actor: Any,
    application: Application,
    service_name: str,
    responsible_manager: str,
    responsible_manager_email: str,
    pim_manager: str,
    pim_manager_email: str,
) -> Application:
    current = _lock_editable(actor, application)
    if not service_name.strip():
        raise ApplicationError(ERROR_SERVICE_NAME)
    fields = {
        "service_name": service_name.strip(),
        "responsible_manager": responsible_manager.strip(),
        "responsible_manager_email": responsible_manager_email.strip(),
        "pim_manager": pim_manager.strip(),
        "pim_manager_email": pim_manager_email.strip(),
    }
    before = {k: getattr(current, k) for k in fields}
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=[*fields, "updated"])
    changed = {k: v for k, v in fields.items() if before[k] != v}
    audit(
        actor=actor,
        action="ssmark.application.contacts_changed",
        target=application,
        data={"changed": sorted(changed)},
    )
    return application
