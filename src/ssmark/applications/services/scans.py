"""Item 2-1-1: vulnerability-diagnosis scan reports, host roles and the responsible manager's
written opinions (意見書) on findings.

For other callers (the pages, the API):
- `upload_scan_report(actor=, application=, upload=, background=)`: store the file, check it
  is a report of a supported format, queue the job that reads it (background=True: returns
  at once, the row shows progress) or read it now (background=False).
- `report_problem(code, params)`: why a report could not be read, in the user's language.
One page of findings is `ssmark.applications.scangate.list_findings` (a read, no service).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ssmark import scans
from ssmark.core.models import audit

from .. import assessment, scangate, scanjobs
from ..models import (
    Application,
    FindingStatement,
    HostRole,
    ScanFinding,
    ScanHostRole,
    ScanReport,
    ScanState,
)
from ..storage import TooLarge, new_name, save_upload
from .common import _lock_editable, _touch
from .errors import (
    ERROR_FILE_TOO_LARGE,
    ERROR_HOST_ROLE,
    ERROR_HOST_UNKNOWN,
    ERROR_NO_FILE,
    ERROR_NOT_SCAN_ITEM,
    ERROR_SCAN_UNREADABLE,
    ApplicationError,
)
from .files import _file_fields, _guarded, _release, _remember, _remove_stored, _store_checked_file

__all__ = [
    "ERROR_OPINION_MISSING",
    "ERROR_OPINION_NONE_CHOSEN",
    "ERROR_OPINION_NO_FINDING",
    "ERROR_OPINION_SIGNER",
    "ERROR_OPINION_TEXT",
    "ERROR_SCAN_BUSY",
    "ERROR_SCAN_PENDING",
    "add_finding_statement",
    "add_finding_statements",
    "check_opinions_complete",
    "remove_scan_report",
    "report_problem",
    "set_host_roles",
    "upload_scan_report",
]

ERROR_OPINION_TEXT = _("Enter the written opinion of the responsible manager.")
ERROR_OPINION_SIGNER = _("Enter the name of the responsible manager who signs the written opinion.")
ERROR_OPINION_NONE_CHOSEN = _("Choose the findings this written opinion is for.")
ERROR_OPINION_NO_FINDING = _(
    "%(host)s %(port)s %(check)s is not a finding that needs a written opinion in the uploaded reports."
)
ERROR_OPINION_MISSING = _(
    "The application cannot be submitted: %(n)s finding(s) with a CVSS base score from "
    "%(low)s to below %(high)s have no written opinion of the responsible manager."
)
ERROR_SCAN_BUSY = _("This report is being read; remove it when reading has finished.")
ERROR_SCAN_PENDING = _(
    "The application cannot be submitted while a scan report is still being read."
)

# What ssmark.scans.errors codes say, in the user's language (params as the scans package
# gives them).
PROBLEMS: Mapping[str, Any] = {
    "not_a_report": _("this is not a scan report but %(what)s"),
    "not_a_report:pdf": _("this is not a scan report but a PDF document"),
    "not_a_report:zip": _("this is a ZIP archive: unpack it and upload the report inside"),
    "not_a_report:gzip": _("this is a gzip archive: unpack it and upload the report inside"),
    "not_a_report:office": _("this is not a scan report but an Office file"),
    "not_a_report:html": _("this is not a scan report but an HTML page"),
    "empty": _("the file is empty"),
    "binary": _("the file holds binary data, not a scan report"),
    "no_structure": _("the file is neither XML, JSON nor CSV with a header line"),
    "nessus_v1": _("Nessus v1 files are not supported; export the report as .nessus (v2)"),
    "unknown_xml": _("XML with the root element <%(root)s> is not a supported scanner report"),
    "unknown_json": _("JSON that is not Nuclei output (no template-id)"),
    "unknown_csv": _("the CSV header matches no supported scanner export"),
    "malformed_json": _("malformed JSON on line %(line)s"),
    "malformed_json_head": _("malformed JSON at the start of the file"),
    "json_not_array": _("malformed JSON: an array was expected"),
    "json_truncated": _("the JSON array is not closed (the file is truncated)"),
    "json_truncated_record": _("the JSON is truncated or malformed"),
    "record_too_long": _("one record is longer than the limit of %(limit)s bytes"),
    "malformed_csv": _("malformed CSV at line %(line)s"),
    "too_large": _("the file is larger than the limit of %(limit)s bytes"),
    "too_many_findings": _("the report has more than %(limit)s findings"),
    "too_many_hosts": _("the report has more than %(limit)s hosts"),
    "host_unnamed": _("a host has neither an address nor a name"),
    "entities_declared": _(
        "the file declares XML entities, which are refused (entity expansion, external files)"
    ),
    "doctype_unterminated": _("the XML DOCTYPE is too long or not closed"),
    "no_xml_root": _("no XML root element in the first 64 KiB: this is not a scan report"),
    "xml_truncated": _("the XML ends too early (the file is truncated)"),
    "xml_too_deep": _("the XML is nested too deeply or holds a text too large near line %(line)s"),
    "xml_entity": _("the XML refers to an undeclared or external entity near line %(line)s"),
    "xml_malformed": _("the XML is malformed near line %(line)s"),
    "cpu_limit": _("reading the report took more than the limit of %(limit)s s of CPU time"),
    "memory_limit": _("reading the report needed more than the limit of %(limit)s MB of memory"),
    "interrupted": _("reading the report was interrupted; upload it again"),
}
UNREADABLE = _("the file could not be read (%(detail)s)")


def report_problem(code: str, params: Mapping[str, Any] | None = None) -> str:
    """A scans refusal (`code`, `params`) as a sentence in the current language."""
    params = dict(params or {})
    text = PROBLEMS.get(f"{code}:{params.get('kind')}") or PROBLEMS.get(code)
    if text is None:
        detail = params.get("problem") or params.get("detail") or code
        return str(UNREADABLE % {"detail": detail})
    try:
        return str(text % params) if "%(" in str(text) else str(text)
    except (KeyError, TypeError, ValueError):
        return str(text)


# --- 2-1-1: scan reports, host roles, written opinions ------------------------------------


@_guarded
def upload_scan_report(
    *,
    actor: Any,
    application: Application,
    upload: UploadedFile | None,
    background: bool = False,
) -> ScanReport:
    """Store a vulnerability-diagnosis report (streamed to disk, size-limited), check its
    format from its first bytes, and queue the job that reads it. A file that is not a
    report of a supported format is refused at once and nothing is kept.

    background=True (the web page, the API): returns the queued row; the worker reads it and
    the row shows the progress, then `state` done or failed (with `error_code`).
    background=False: reads it now (still in a capped child process) and returns the row
    done, or raises ApplicationError with the reason (nothing kept)."""
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
        upload.seek(0)
        scans.detect_format(upload, display)  # type: ignore[arg-type]
    except scans.ReportError as exc:
        raise ApplicationError(
            ERROR_SCAN_UNREADABLE, name=display, problem=report_problem(exc.code, exc.params)
        ) from None
    finally:
        upload.seek(0)
    try:
        stored = save_upload(upload, name=new_name(application.pk, "scans", ".report"), limit=limit)
    except TooLarge:
        raise ApplicationError(ERROR_FILE_TOO_LARGE, name=display, limit=limit_mb) from None
    _remember(stored.name)
    report = ScanReport.objects.create(
        application=application,
        file=stored.name,
        original_name=stored.original_name,
        content_type="application/octet-stream",
        size=stored.size,
        sha256=stored.sha256,
        state=ScanState.QUEUED,
        uploaded_by=actor,
    )
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.scan_report_added",
        target=application,
        data={"report": report.pk, "name": report.original_name, "sha256": report.sha256},
    )
    if background:
        return report
    claimed = scanjobs.claim(report.pk)
    assert claimed is not None
    done = scanjobs.run_job(claimed)
    assessment.forget(application)
    if done.state == ScanState.FAILED:
        raise ApplicationError(
            ERROR_SCAN_UNREADABLE,
            name=display,
            problem=report_problem(done.error_code, done.error_params),
        )
    return done


@transaction.atomic
def remove_scan_report(*, actor: Any, application: Application, report: ScanReport) -> None:
    def refuse_if_running() -> None:
        current = ScanReport.objects.select_for_update().filter(pk=report.pk).first()
        if current is not None and current.state == ScanState.RUNNING:
            raise ApplicationError(ERROR_SCAN_BUSY)

    def delete() -> None:
        ScanFinding.objects.filter(report=report).delete()
        report.delete()
        scangate.refresh(application)

    _remove_stored(
        actor=actor,
        application=application,
        owner_id=report.application_id,
        refuse=refuse_if_running,
        delete=delete,
        action="ssmark.application.scan_report_removed",
        data={"report": report.pk, "name": report.original_name, "sha256": report.sha256},
        name=report.file.name,
        sha256=report.sha256,
    )


@transaction.atomic
def set_host_roles(
    *,
    actor: Any,
    application: Application,
    roles: Mapping[str, Iterable[str]],
    replace_all: bool = False,
) -> None:
    """Set the roles of the scanned hosts given: {host: [dns, mail, web, auth, router]} (a host
    with no roles loses its roles). Hosts not given keep theirs, unless `replace_all`. Hosts
    must appear in a read report."""
    _lock_editable(actor, application)
    valid = set(HostRole.values)
    given = {host.strip(): set(host_roles) for host, host_roles in roles.items()}
    known = scangate.known_hosts(application, given)
    rows: list[ScanHostRole] = []
    for host, host_roles in given.items():
        for role in sorted(host_roles):
            if role not in valid:
                raise ApplicationError(ERROR_HOST_ROLE, role=role)
            if host not in known:
                raise ApplicationError(ERROR_HOST_UNKNOWN, host=host)
            rows.append(ScanHostRole(application=application, host=host, role=role))
    existing = application.host_roles.all()
    if not replace_all:
        existing = existing.filter(host__in=list(given))
    before = sorted(f"{h}:{r}" for h, r in existing.values_list("host", "role"))
    existing.delete()
    ScanHostRole.objects.bulk_create(rows)
    scangate.refresh(application)
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
    """The responsible manager's written opinion (意見書) on one warning-level finding
    (replaces an earlier one on the same finding). The signer's name is required."""
    saved = add_finding_statements(
        actor=actor,
        application=application,
        keys=[(host, port, check_name)],
        statement=statement,
        signer_name=signer_name,
        upload=upload,
    )
    return saved[0]


@_guarded
def add_finding_statements(
    *,
    actor: Any,
    application: Application,
    keys: Iterable[tuple[str, str, str]],
    statement: str,
    signer_name: str,
    upload: UploadedFile | None = None,
) -> list[FindingStatement]:
    """One written opinion (意見書) for several warning-level findings at once (issue 15):
    each (host, port, check) gets the same text, signer and attached file."""
    _lock_editable(actor, application)
    if not statement.strip():
        raise ApplicationError(ERROR_OPINION_TEXT)
    if not signer_name.strip():
        raise ApplicationError(ERROR_OPINION_SIGNER)
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise ApplicationError(ERROR_OPINION_NONE_CHOSEN)
    # Every key is checked, however many are posted (a forged list names no finding).
    present = scangate.needing_opinion(application, wanted)
    for host, port, check_name in wanted:
        if (host, port, check_name) not in present:
            raise ApplicationError(ERROR_OPINION_NO_FINDING, host=host, port=port, check=check_name)
    fields: dict[str, Any] = {}
    if upload is not None:
        stored, kind = _store_checked_file(application, upload, "statements")
        fields = _file_fields(stored, kind)
    values = {
        "statement": statement.strip(),
        "signer_name": signer_name.strip(),
        "created_by": actor,
        **fields,
    }
    # "Every matching finding" can be thousands: earlier opinions are read and the rows
    # written in batches, not a few queries per finding.
    earlier: dict[tuple[str, str, str], FindingStatement] = {}
    for start in range(0, len(wanted), scangate.KEYS_PER_QUERY):
        chunk = scangate.any_key(wanted[start : start + scangate.KEYS_PER_QUERY])
        for row in FindingStatement.objects.filter(chunk, application=application):
            earlier[row.key] = row
    saved: list[FindingStatement] = []
    changed: list[FindingStatement] = []
    new: list[FindingStatement] = []
    released: list[tuple[str, str]] = []
    for host, port, check_name in wanted:
        obj = earlier.get((host, port, check_name))
        if obj is None:
            obj = FindingStatement(
                application=application, host=host, port=port, check_name=check_name, **values
            )
            new.append(obj)
        else:
            if fields and obj.has_file:
                released.append((obj.file.name or "", obj.sha256))
            for name, value in values.items():
                setattr(obj, name, value)
            changed.append(obj)
        saved.append(obj)
    FindingStatement.objects.bulk_create(new, batch_size=500)
    if changed:
        FindingStatement.objects.bulk_update(changed, list(values), batch_size=500)
    scangate.refresh(application)
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.finding_statement_saved",
        target=application,
        data={
            "findings": [list(k) for k in wanted[:50]],
            "count": len(wanted),
            "signer": signer_name.strip(),
        },
    )
    kept = {s.file.name for s in saved if s.has_file}
    for name, sha256 in released:
        if name not in kept:
            _release(name, sha256, application)
    return saved


def check_opinions_complete(application: Application) -> None:
    """Issue 9.5: refuse submission while a report is being read or a finding from
    statement_at to below fail_at has no written opinion (意見書)."""
    gate = assessment.scan_gate(application)
    if gate.pending_count:
        raise ApplicationError(ERROR_SCAN_PENDING)
    if gate.statements_missing_count and gate.thresholds is not None:
        raise ApplicationError(
            ERROR_OPINION_MISSING,
            n=gate.statements_missing_count,
            low=gate.thresholds.statement_at,
            high=gate.thresholds.fail_at,
        )
