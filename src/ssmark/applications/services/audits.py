"""Item 1-1-2: audits against the security policy."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from ssmark.core import clock
from ssmark.core.models import audit

from .. import assessment
from ..models import Application, AuditorKind, SecurityAuditRecord
from .common import _lock_editable, _touch
from .errors import (
    ERROR_AUDIT_CODE,
    ERROR_AUDIT_FIELDS,
    ERROR_AUDIT_FUTURE,
    ERROR_AUDIT_NONE_COVERED,
    ERROR_AUDITOR_KIND,
    ApplicationError,
)
from .files import _file_fields, _guarded, _remove_stored, _store_checked_file

# --- 1-1-2: audits ---------------------------------------------------------------------------


@_guarded
def record_audit(
    *,
    actor: Any,
    application: Application,
    audited_on: datetime.date | None,
    auditor: str,
    auditor_kind: str,
    covered: Sequence[str],
    upload: UploadedFile | None = None,
) -> SecurityAuditRecord:
    """Record one audit against the security policy: when, by whom, which audit items of the
    criteria set it covered, with its report."""
    _lock_editable(actor, application)
    if audited_on is None or not auditor.strip():
        raise ApplicationError(ERROR_AUDIT_FIELDS)
    if audited_on > clock.today():
        raise ApplicationError(ERROR_AUDIT_FUTURE)
    if auditor_kind not in AuditorKind.values:
        raise ApplicationError(ERROR_AUDITOR_KIND)
    known = assessment.security_audit_item_codes(application)
    codes = list(dict.fromkeys(c.strip() for c in covered if c.strip()))
    for code in codes:
        if code not in known:
            raise ApplicationError(ERROR_AUDIT_CODE, code=code)
    if not codes:
        raise ApplicationError(ERROR_AUDIT_NONE_COVERED)
    fields: dict[str, Any] = {}
    if upload is not None:
        stored, kind = _store_checked_file(application, upload, "audits")
        fields = _file_fields(stored, kind)
    record = SecurityAuditRecord.objects.create(
        application=application,
        audited_on=audited_on,
        auditor=auditor.strip(),
        auditor_kind=auditor_kind,
        covered=codes,
        created_by=actor,
        **fields,
    )
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.audit_recorded",
        target=application,
        data={
            "audit": record.pk,
            "audited_on": str(audited_on),
            "auditor": record.auditor,
            "kind": auditor_kind,
            "covered": codes,
            "sha256": record.sha256,
        },
    )
    return record


@transaction.atomic
def remove_audit(*, actor: Any, application: Application, record: SecurityAuditRecord) -> None:
    _remove_stored(
        actor=actor,
        application=application,
        owner_id=record.application_id,
        delete=record.delete,
        action="ssmark.application.audit_removed",
        data={"audit": record.pk, "audited_on": str(record.audited_on), "auditor": record.auditor},
        name=record.file.name if record.has_file else "",
        sha256=record.sha256,
    )
