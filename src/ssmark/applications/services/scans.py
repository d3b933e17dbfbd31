"""Item 2-1-1: vulnerability-diagnosis scan reports, host roles and the responsible manager's
statements on findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from ssmark.core.models import audit

from .. import assessment
from ..models import Application, FindingStatement, HostRole, ScanHostRole, ScanReport
from ..storage import TooLarge, new_name, save_upload
from .common import _lock_editable, _touch
from .errors import (
    ERROR_EVIDENCE_NOT_HERE,
    ERROR_FILE_TOO_LARGE,
    ERROR_HOST_ROLE,
    ERROR_HOST_UNKNOWN,
    ERROR_NO_FILE,
    ERROR_NOT_SCAN_ITEM,
    ERROR_SCAN_UNREADABLE,
    ERROR_STATEMENT_TEXT,
    ApplicationError,
)
from .files import _file_fields, _guarded, _release, _remember, _store_checked_file

# --- 2-1-1: scan reports, host roles, statements ----------------------------------------------


@_guarded
def upload_scan_report(
    *, actor: Any, application: Application, upload: UploadedFile | None
) -> ScanReport:
    """Store a vulnerability-diagnosis report (streamed to disk, size-limited) and parse it
    with ssmark.scans. An unreadable report is refused with the parser's message and nothing
    is kept."""
    _lock_editable(actor, application)
    if assessment.scan_item(application) is None:
        raise ApplicationError(ERROR_NOT_SCAN_ITEM)
    if upload is None:
        raise ApplicationError(ERROR_NO_FILE)
    from ..storage import clean_original_name

    display = clean_original_name(upload.name)
    limit_mb = settings.MAX_SCAN_REPORT_MB
    limit = limit_mb * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(ERROR_FILE_TOO_LARGE, name=display, limit=limit_mb)
    try:
        stored = save_upload(upload, name=new_name(application.pk, "scans", ".report"), limit=limit)
    except TooLarge:
        raise ApplicationError(ERROR_FILE_TOO_LARGE, name=display, limit=limit_mb) from None
    _remember(stored.name)
    try:
        parsed = assessment.parse_scan_report(stored.name, display)
    except assessment.ScanReportUnreadable as exc:
        raise ApplicationError(ERROR_SCAN_UNREADABLE, name=display, problem=exc.problem) from None
    report = ScanReport.objects.create(
        application=application,
        file=stored.name,
        original_name=stored.original_name,
        content_type=parsed.content_type,
        size=stored.size,
        sha256=stored.sha256,
        format=parsed.format,
        scanned_on=parsed.scanned_on,
        summary=parsed.summary,
        uploaded_by=actor,
    )
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.scan_report_added",
        target=application,
        data={
            "report": report.pk,
            "name": report.original_name,
            "sha256": report.sha256,
            "format": report.format,
            "scanned_on": str(report.scanned_on or ""),
            "hosts": len(parsed.summary.get("hosts", [])),
            "findings": len(parsed.summary.get("findings", [])),
        },
    )
    return report


@transaction.atomic
def remove_scan_report(*, actor: Any, application: Application, report: ScanReport) -> None:
    _lock_editable(actor, application)
    if report.application_id != application.pk:
        raise ApplicationError(ERROR_EVIDENCE_NOT_HERE)
    name, sha256 = report.file.name, report.sha256
    data = {"report": report.pk, "name": report.original_name, "sha256": report.sha256}
    report.delete()
    _touch(application)
    audit(
        actor=actor, action="ssmark.application.scan_report_removed", target=application, data=data
    )
    _release(name, sha256, application)


@transaction.atomic
def set_host_roles(
    *, actor: Any, application: Application, roles: Mapping[str, Iterable[str]]
) -> None:
    """Replace the roles of the scanned hosts: {host: [dns, mail, web, auth, router]}.
    Hosts must appear in an uploaded report; a host with no roles is simply not listed."""
    _lock_editable(actor, application)
    known = assessment.scanned_hosts(application)
    valid = set(HostRole.values)
    rows: list[ScanHostRole] = []
    for host, host_roles in roles.items():
        host = host.strip()
        for role in sorted(set(host_roles)):
            if role not in valid:
                raise ApplicationError(ERROR_HOST_ROLE, role=role)
            if host not in known:
                raise ApplicationError(ERROR_HOST_UNKNOWN, host=host)
            rows.append(ScanHostRole(application=application, host=host, role=role))
    before = sorted(f"{h}:{r}" for h, r in application.host_roles.values_list("host", "role"))
    application.host_roles.all().delete()
    ScanHostRole.objects.bulk_create(rows)
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.host_roles_set",
        target=application,
        data={"before": before, "after": sorted(f"{r.host}:{r.role}" for r in rows)},
    )


@_guarded
def add_finding_statement(
    *,
    actor: Any,
    application: Application,
    host: str,
    port: str,
    check_name: str,
    statement: str,
    signer_name: str = "",
    upload: UploadedFile | None = None,
) -> FindingStatement:
    """The responsible manager's statement on one warning-level finding (replaces an earlier
    statement on the same finding)."""
    _lock_editable(actor, application)
    if not statement.strip():
        raise ApplicationError(ERROR_STATEMENT_TEXT)
    fields: dict[str, Any] = {}
    if upload is not None:
        stored, kind = _store_checked_file(application, upload, "statements")
        fields = _file_fields(stored, kind)
    existing = FindingStatement.objects.filter(
        application=application, host=host, port=port, check_name=check_name
    ).first()
    old_file = existing.file.name if existing and existing.has_file else ""
    old_sha256 = existing.sha256 if existing else ""
    values = {
        "statement": statement.strip(),
        "signer_name": signer_name.strip() or application.responsible_manager,
        "created_by": actor,
        **fields,
    }
    if existing is not None and not fields:
        # Keep the earlier attachment when only the text changes.
        old_file = ""
    obj, created = FindingStatement.objects.update_or_create(
        application=application, host=host, port=port, check_name=check_name, defaults=values
    )
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.finding_statement_saved",
        target=application,
        data={"host": host, "port": port, "check": check_name, "created": created},
    )
    if old_file and old_file != obj.file.name:
        _release(old_file, old_sha256, application)
    return obj
