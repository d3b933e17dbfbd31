"""The applicant's workflows: create, self-assess with evidence, scans, audits, incidents, submit.

Every function is keyword-only, checks the actor (an applicant member of the application's
organisation) and the application's state (answers can change only in EDITABLE_STATES),
changes inside one transaction that first locks the application row (so a submit cannot
interleave with an edit), writes the audit trail and, for submit/withdraw, sends the domain
event. Refusals raise `ApplicationError` whose message is one of the constants below.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Organisation, Role
from ssmark.catalog.models import Item, ItemKind, ReviewType, Scheme
from ssmark.core import events
from ssmark.core.models import audit

from . import assessment, sniff
from .models import (
    Application,
    ApplicationStatus,
    AuditorKind,
    AuditRecord,
    Claim,
    Evidence,
    EvidenceKind,
    FindingStatement,
    HostRole,
    IncidentDeclaration,
    IncidentKind,
    ItemAnswer,
    ScanHostRole,
    ScanReport,
    Submission,
)
from .permissions import is_applicant_member
from .states import EDITABLE_STATES, transition
from .storage import Stored, TooLarge, delete_quietly, new_name, release, save_upload

TOKYO = ZoneInfo("Asia/Tokyo")
P = ParamSpec("P")
R = TypeVar("R")

ERROR_NOT_APPLICANT = _("Only a member of the applicant company can do this.")
ERROR_NOT_EDITABLE = _(
    "This application can no longer be changed: it is “%(status)s”. "
    "Answers can be changed only while it is a draft or returned for correction."
)
ERROR_NO_CRITERIA_SET = _("No criteria set is in force for this scheme today.")
ERROR_NOT_RECEPTION_BODY = _("Choose one of the reception bodies.")
ERROR_SERVICE_NAME = _("Enter the name of the service.")
ERROR_UNKNOWN_ITEM = _("Item %(code)s is not part of this application's criteria set.")
ERROR_CLAIM_REQUIRED = _("Choose “met” or “not met” for item %(code)s.")
ERROR_GRADE_REQUIRED = _("Choose a grade from %(min)s to %(max)s for item %(code)s.")
ERROR_STALE_ANSWER = _(
    "Item %(code)s was changed by %(user)s in the meantime. "
    "Their version is shown now; check it and save again."
)
ERROR_SCAN_BLOCKING = _(
    "Item %(code)s cannot be claimed as met: the vulnerability diagnosis does not pass yet "
    "(%(reason)s)."
)
ERROR_FILE_TOO_LARGE = _("“%(name)s” is larger than the limit of %(limit)s MB.")
ERROR_FILE_TYPE = _(
    "“%(name)s” was refused: it is really %(what)s. Accepted are PDF, PNG, JPEG, GIF, WebP, "
    "Word, Excel and PowerPoint files."
)
ERROR_NO_FILE = _("Choose a file to upload.")
ERROR_URL_SCHEME = _("Enter a web address starting with http:// or https://.")
ERROR_URL_NOT_ASKED = _("Item %(code)s does not ask for a web address.")
ERROR_NOT_SIGNED_ITEM = _("Item %(code)s does not ask for a signed declaration.")
ERROR_SIGNER_NAME = _("Enter the name of the person who signed and sealed the declaration.")
ERROR_DECLARATION_TEXT = _("Enter the text of the declaration.")
ERROR_EVIDENCE_NOT_HERE = _("This evidence does not belong to this application.")
ERROR_SCAN_UNREADABLE = _("The scan report “%(name)s” could not be read: %(problem)s")
ERROR_NOT_SCAN_ITEM = _("This criteria set has no vulnerability-diagnosis item.")
ERROR_HOST_ROLE = _("Unknown host role “%(role)s”.")
ERROR_HOST_UNKNOWN = _("Host %(host)s is not in any uploaded scan report.")
ERROR_STATEMENT_TEXT = _("Enter the responsible manager's statement.")
ERROR_AUDIT_FIELDS = _("Enter the audit date and the auditor.")
ERROR_AUDIT_FUTURE = _("The audit date cannot be in the future.")
ERROR_AUDIT_CODE = _("Unknown audit item “%(code)s”.")
ERROR_AUDIT_NONE_COVERED = _("Tick the audit items this audit covered.")
ERROR_AUDITOR_KIND = _("Choose internal or external audit.")
ERROR_INCIDENT_KIND = _("Choose the kind of incident.")
ERROR_INCIDENT_FIELDS = _("Enter the date, what happened and the measures taken.")
ERROR_INCIDENT_DATE = _("Declare incidents of the year before applying: from %(start)s to %(end)s.")
ERROR_INCIDENTS_LISTED = _(
    "You have listed incidents; remove them before declaring that there were none."
)
ERROR_INCIDENTS_NOT_DECLARED = _(
    "Declare the incidents of the year before applying (or that there were none) before submitting."
)


class ApplicationError(Exception):
    """A refused request; `message` is for the user (one of the ERROR_ constants, filled in)."""

    def __init__(self, message: str | Promise, **params: Any) -> None:
        self.message = str(message % params if params else message)
        super().__init__(self.message)


class StaleAnswer(ApplicationError):
    """Someone else saved the item since the form was loaded; `current` is their version."""

    def __init__(self, current: ItemAnswer, code: str) -> None:
        who = "?"
        if current.updated_by is not None:
            who = current.updated_by.get_full_name() or current.updated_by.username
        super().__init__(ERROR_STALE_ANSWER, code=code, user=who)
        self.current = current


def today_in_tokyo() -> datetime.date:
    return timezone.localtime(timezone.now(), TOKYO).date()


# --- checks ---------------------------------------------------------------------------------


def _require_applicant(actor: Any, application: Application) -> None:
    if not is_applicant_member(actor, application):
        raise ApplicationError(ERROR_NOT_APPLICANT)


def _lock_editable(actor: Any, application: Application) -> Application:
    """Check the actor, lock the application row and check it is editable (re-read)."""
    _require_applicant(actor, application)
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.status not in EDITABLE_STATES:
        raise ApplicationError(ERROR_NOT_EDITABLE, status=ApplicationStatus(current.status).label)
    application.status = current.status
    assessment.forget(application)
    return current


def _item(application: Application, code: str) -> Item:
    try:
        return Item.objects.get(criteria_set_id=application.criteria_set_id, code=code)
    except Item.DoesNotExist:
        raise ApplicationError(ERROR_UNKNOWN_ITEM, code=code) from None


def _answer_for(application: Application, item: Item, actor: Any) -> ItemAnswer:
    answer, _created = ItemAnswer.objects.get_or_create(
        application=application, item=item, defaults={"updated_by": actor}
    )
    return answer


def _touch(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(updated=timezone.now())


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
    criteria_set = current_set(Scheme(scheme), today or today_in_tokyo())
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
        carried = _carry_over(application, renew_from, actor, today or today_in_tokyo())
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


def _same_file(stored: Evidence | AuditRecord) -> dict[str, Any]:
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
    known = assessment.audit_item_codes(application)
    rows = []
    for record in recent:
        covered = [code for code in record.covered if code in known]
        if not covered:
            continue
        rows.append(
            AuditRecord(
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
    AuditRecord.objects.bulk_create(rows)


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


# --- answers --------------------------------------------------------------------------------


@transaction.atomic
def save_answer(
    *,
    actor: Any,
    application: Application,
    item_code: str,
    claim: str = "",
    grade: int | None = None,
    explanation: str = "",
    expected_version: int | None = None,
) -> ItemAnswer:
    """Record the applicant's claim (met / not met) or grade for one item, and how it is met.

    `expected_version` is the answer's version the form was based on; if someone saved the
    item since, `StaleAnswer` is raised and nothing is overwritten.
    """
    _lock_editable(actor, application)
    item = _item(application, item_code)
    if item.kind_for(application.review_type) == ItemKind.GRADED:
        low, high = item.grade_min or 0, item.grade_max or 0
        if grade is not None and not (low <= grade <= high):
            raise ApplicationError(ERROR_GRADE_REQUIRED, code=item.code, min=low, max=high)
        claim = ""
    else:
        if claim not in ("", Claim.MET, Claim.UNMET):
            raise ApplicationError(ERROR_CLAIM_REQUIRED, code=item.code)
        grade = None
        if claim == Claim.MET and assessment.is_scan_item(item):
            gate = assessment.scan_gate(application)
            if gate.blocks_claim:
                raise ApplicationError(ERROR_SCAN_BLOCKING, code=item.code, reason=gate.reason)
    answer = (
        ItemAnswer.objects.select_for_update().filter(application=application, item=item).first()
    )
    if answer is None:
        answer = ItemAnswer(application=application, item=item)
    elif expected_version is not None and answer.version != expected_version:
        raise StaleAnswer(answer, item.code)
    before = {"claim": answer.claim, "grade": answer.grade}
    answer.claim = claim
    answer.grade = grade
    answer.explanation = explanation.strip()
    answer.carried_over = False
    answer.updated_by = actor
    answer.version = answer.version + 1
    answer.save()
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.answer_saved",
        target=application,
        data={"item": item.code, "before": before, "claim": claim, "grade": grade},
    )
    return answer


# --- evidence -------------------------------------------------------------------------------


def _store_checked_file(
    application: Application, upload: UploadedFile | None, folder: str
) -> tuple[Stored, sniff.Sniffed]:
    """Size limit, content sniffing, then store. Raises ApplicationError and stores nothing
    when the file is refused."""
    if upload is None:
        raise ApplicationError(ERROR_NO_FILE)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    from .storage import clean_original_name

    display = clean_original_name(upload.name)
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(ERROR_FILE_TOO_LARGE, name=display, limit=settings.MAX_UPLOAD_MB)
    handle = upload.file
    if handle is None:
        raise ApplicationError(ERROR_NO_FILE)
    kind = sniff.sniff(handle)
    if kind is None:
        raise ApplicationError(ERROR_FILE_TYPE, name=display, what=sniff.describe(handle))
    try:
        stored = save_upload(
            upload, name=new_name(application.pk, folder, kind.extension), limit=limit
        )
    except TooLarge:
        raise ApplicationError(
            ERROR_FILE_TOO_LARGE, name=display, limit=settings.MAX_UPLOAD_MB
        ) from None
    _remember(stored.name)
    return stored, kind


def _file_fields(stored: Stored, kind: sniff.Sniffed) -> dict[str, Any]:
    return {
        "file": stored.name,
        "original_name": stored.original_name,
        "content_type": kind.content_type,
        "size": stored.size,
        "sha256": stored.sha256,
    }


_stored_in_call: ContextVar[list[str] | None] = ContextVar("_stored_in_call", default=None)


def _remember(name: str) -> None:
    """Note a file stored by the running service, so it is removed if the service fails."""
    stored = _stored_in_call.get()
    if stored is not None:
        stored.append(name)


def _guarded(func: Callable[P, R]) -> Callable[P, R]:
    """Run a service in one transaction; if it fails after storing files, remove them."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        stored: list[str] = []
        token = _stored_in_call.set(stored)
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except BaseException:
            for name in stored:
                delete_quietly(name)
            raise
        finally:
            _stored_in_call.reset(token)

    return wrapper


@_guarded
def add_file_evidence(
    *, actor: Any, application: Application, item_code: str, upload: UploadedFile | None
) -> Evidence:
    """Attach a file (PDF, image or office document; content sniffed) to an item."""
    _lock_editable(actor, application)
    item = _item(application, item_code)
    stored, kind = _store_checked_file(application, upload, "evidence")
    answer = _answer_for(application, item, actor)
    evidence = Evidence.objects.create(
        answer=answer, kind=EvidenceKind.FILE, uploaded_by=actor, **_file_fields(stored, kind)
    )
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.evidence_added",
        target=application,
        data={
            "item": item.code,
            "evidence": evidence.pk,
            "kind": "file",
            "name": stored.original_name,
            "sha256": stored.sha256,
            "content_type": kind.content_type,
            "size": stored.size,
        },
    )
    return evidence


def check_web_address(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ApplicationError(ERROR_URL_SCHEME)
    return url


@transaction.atomic
def add_url_evidence(*, actor: Any, application: Application, item_code: str, url: str) -> Evidence:
    """Attach a web address (http/https only) to an item that asks for the web."""
    _lock_editable(actor, application)
    item = _item(application, item_code)
    if not assessment.asks_for_web(item):
        raise ApplicationError(ERROR_URL_NOT_ASKED, code=item.code)
    url = check_web_address(url)
    answer = _answer_for(application, item, actor)
    evidence = Evidence.objects.create(
        answer=answer, kind=EvidenceKind.URL, url=url, uploaded_by=actor
    )
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.evidence_added",
        target=application,
        data={"item": item.code, "evidence": evidence.pk, "kind": "url", "url": url},
    )
    return evidence


@_guarded
def add_signed_declaration(
    *,
    actor: Any,
    application: Application,
    item_code: str,
    signer_name: str,
    signed_on: datetime.date | None,
    statement: str,
    upload: UploadedFile | None = None,
) -> Evidence:
    """A declaration signed and sealed by the responsible manager (SIGNED items) or by the
    personal-information protection manager (PIM-SIGNED items), optionally with the scanned
    paper attached."""
    _lock_editable(actor, application)
    item = _item(application, item_code)
    signer = assessment.signer_for(item)
    if signer is None:
        raise ApplicationError(ERROR_NOT_SIGNED_ITEM, code=item.code)
    if not signer_name.strip():
        raise ApplicationError(ERROR_SIGNER_NAME)
    if not statement.strip():
        raise ApplicationError(ERROR_DECLARATION_TEXT)
    fields: dict[str, Any] = {}
    if upload is not None:
        stored, kind = _store_checked_file(application, upload, "declarations")
        fields = _file_fields(stored, kind)
    answer = _answer_for(application, item, actor)
    evidence = Evidence.objects.create(
        answer=answer,
        kind=EvidenceKind.DECLARATION,
        signer=signer,
        signer_name=signer_name.strip(),
        signed_on=signed_on,
        statement=statement.strip(),
        uploaded_by=actor,
        **fields,
    )
    _touch(application)
    audit(
        actor=actor,
        action="ssmark.application.evidence_added",
        target=application,
        data={
            "item": item.code,
            "evidence": evidence.pk,
            "kind": "declaration",
            "signer": str(signer),
            "signer_name": evidence.signer_name,
            "sha256": evidence.sha256,
        },
    )
    return evidence


def _release(name: str | None, sha256: str, application: Application) -> None:
    """A row of `application` let go of the stored file `name`: it is deleted once the change
    commits, unless something still refers to it (another application's row that shares it
    after a renewal, or a submitted round that lists it: see storage.is_referenced)."""
    if name:
        release(name, sha256=sha256, organisation_id=application.organisation_id)


@transaction.atomic
def remove_evidence(*, actor: Any, application: Application, evidence: Evidence) -> None:
    """Remove a piece of evidence. Its file is deleted once the removal commits, unless
    something still refers to it: a submitted round (the file stays on record for the
    reviewers) or another application's evidence (a renewal carries files over by name)."""
    _lock_editable(actor, application)
    answer = ItemAnswer.objects.select_related("item").get(pk=evidence.answer_id)
    if answer.application_id != application.pk:
        raise ApplicationError(ERROR_EVIDENCE_NOT_HERE)
    name = evidence.file.name if evidence.has_file else ""
    sha256 = evidence.sha256
    data = {
        "item": answer.item.code,
        "evidence": evidence.pk,
        "kind": evidence.kind,
        "name": evidence.original_name,
        "url": evidence.url,
        "sha256": evidence.sha256,
    }
    evidence.delete()
    _touch(application)
    audit(actor=actor, action="ssmark.application.evidence_removed", target=application, data=data)
    _release(name, sha256, application)


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
    from .storage import clean_original_name

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
) -> AuditRecord:
    """Record one audit against the security policy: when, by whom, which audit items of the
    criteria set it covered, with its report."""
    _lock_editable(actor, application)
    if audited_on is None or not auditor.strip():
        raise ApplicationError(ERROR_AUDIT_FIELDS)
    if audited_on > today_in_tokyo():
        raise ApplicationError(ERROR_AUDIT_FUTURE)
    if auditor_kind not in AuditorKind.values:
        raise ApplicationError(ERROR_AUDITOR_KIND)
    known = assessment.audit_item_codes(application)
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
    record = AuditRecord.objects.create(
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
def remove_audit(*, actor: Any, application: Application, record: AuditRecord) -> None:
    _lock_editable(actor, application)
    if record.application_id != application.pk:
        raise ApplicationError(ERROR_EVIDENCE_NOT_HERE)
    name = record.file.name if record.has_file else ""
    sha256 = record.sha256
    data = {"audit": record.pk, "audited_on": str(record.audited_on), "auditor": record.auditor}
    record.delete()
    _touch(application)
    audit(actor=actor, action="ssmark.application.audit_removed", target=application, data=data)
    _release(name, sha256, application)


# --- incidents ------------------------------------------------------------------------------


def incident_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The year before applying: [today − 1 year, today]."""
    end = today or today_in_tokyo()
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


# --- submit / withdraw ----------------------------------------------------------------------


def snapshot(application: Application) -> dict[str, Any]:
    """Everything submitted in a round, as plain JSON (evidence by SHA-256, not content)."""
    answers: dict[str, Any] = {}
    hashes: set[str] = set()
    for answer in (
        application.answers.select_related("item")
        .prefetch_related("evidence")
        .order_by("item__position")
    ):
        evidence = []
        for ev in answer.evidence.all():
            evidence.append(
                {
                    "kind": ev.kind,
                    "name": ev.original_name,
                    "sha256": ev.sha256,
                    "size": ev.size,
                    "content_type": ev.content_type,
                    "url": ev.url,
                    "signer": ev.signer,
                    "signer_name": ev.signer_name,
                    "signed_on": str(ev.signed_on or ""),
                    "statement": ev.statement,
                }
            )
            if ev.sha256:
                hashes.add(ev.sha256)
        answers[answer.item.code] = {
            "claim": answer.claim,
            "grade": answer.grade,
            "explanation": answer.explanation,
            "evidence": evidence,
        }
    scan_reports: list[dict[str, Any]] = [
        {
            "name": r.original_name,
            "sha256": r.sha256,
            "format": r.format,
            "scanned_on": str(r.scanned_on or ""),
        }
        for r in application.scan_reports.all()
    ]
    statements: list[dict[str, Any]] = [
        {
            "host": s.host,
            "port": s.port,
            "check": s.check_name,
            "statement": s.statement,
            "signer_name": s.signer_name,
            "sha256": s.sha256,
        }
        for s in application.finding_statements.all()
    ]
    audits: list[dict[str, Any]] = [
        {
            "audited_on": str(a.audited_on),
            "auditor": a.auditor,
            "auditor_kind": a.auditor_kind,
            "covered": list(a.covered),
            "name": a.original_name,
            "sha256": a.sha256,
        }
        for a in application.audits.all()
    ]
    hashes.update(r.sha256 for r in application.scan_reports.all() if r.sha256)
    hashes.update(s.sha256 for s in application.finding_statements.all() if s.sha256)
    hashes.update(a.sha256 for a in application.audits.all() if a.sha256)
    return {
        "criteria_set": application.criteria_set.set_id,
        "review_type": application.review_type,
        "service_name": application.service_name,
        "contacts": {
            "responsible_manager": application.responsible_manager,
            "responsible_manager_email": application.responsible_manager_email,
            "pim_manager": application.pim_manager,
            "pim_manager_email": application.pim_manager_email,
        },
        "answers": answers,
        "scan_reports": scan_reports,
        "host_roles": sorted(
            f"{h}:{r}" for h, r in application.host_roles.values_list("host", "role")
        ),
        "finding_statements": statements,
        "audits": audits,
        "no_incidents": application.no_incidents,
        "incidents": [
            {
                "kind": i.kind,
                "occurred_on": str(i.occurred_on),
                "summary": i.summary,
                "measures": i.measures,
            }
            for i in application.incidents.all()
        ],
        "hashes": sorted(hashes),
    }


def changed_items(previous: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """Item codes whose claim, grade, explanation or evidence differ between two snapshots
    (for the reviewer's "what changed since the last round")."""
    old, new = previous.get("answers", {}), current.get("answers", {})
    return sorted(code for code in set(old) | set(new) if old.get(code) != new.get(code))


@transaction.atomic
def submit(*, actor: Any, application: Application) -> Submission:
    """Submit (draft → submitted) or resubmit (returned → resubmitted) to the reception body.

    Requires the incident declaration. Locks the answers (the new state is not editable),
    records today's date (Asia/Tokyo) as the submission date the scan freshness rule counts
    from, keeps a snapshot of the round and sends `application_submitted`.
    """
    current = _lock_editable(actor, application)
    if not incidents_declared(current):
        raise ApplicationError(ERROR_INCIDENTS_NOT_DECLARED)
    item = assessment.scan_item(current)
    if item is not None:
        claimed = ItemAnswer.objects.filter(application=current, item=item, claim=Claim.MET)
        if claimed.exists():
            gate = assessment.scan_gate(current)
            if gate.blocks_claim:
                raise ApplicationError(ERROR_SCAN_BLOCKING, code=item.code, reason=gate.reason)
    resubmission = current.status == ApplicationStatus.RETURNED
    to_status = ApplicationStatus.RESUBMITTED if resubmission else ApplicationStatus.SUBMITTED
    today = today_in_tokyo()
    number = (current.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    transition(
        application,
        to_status=to_status,
        actor=actor,
        action="ssmark.application.resubmitted" if resubmission else "ssmark.application.submitted",
        data={"round": number, "submitted_on": str(today)},
    )
    first = current.first_submitted_on or today
    Application.objects.filter(pk=application.pk).update(
        submitted_on=today, first_submitted_on=first, updated=timezone.now()
    )
    application.submitted_on, application.first_submitted_on = today, first
    try:
        submission = Submission.objects.create(
            application=application,
            number=number,
            submitted_on=today,
            submitted_by=actor,
            snapshot=snapshot(application),
        )
    except IntegrityError:  # pragma: no cover - the row lock makes this unreachable
        raise ApplicationError(ERROR_NOT_EDITABLE, status=to_status) from None
    events.application_submitted.send(
        sender=Application, actor=actor, application=application, resubmission=resubmission
    )
    return submission


@transaction.atomic
def withdraw(*, actor: Any, application: Application, reason: str = "") -> Application:
    """The applicant withdraws the application (from any state that allows it)."""
    _require_applicant(actor, application)
    transition(
        application,
        to_status=ApplicationStatus.WITHDRAWN,
        actor=actor,
        action="ssmark.application.withdrawn",
        comment=reason.strip(),
    )
    events.application_withdrawn.send(sender=Application, actor=actor, application=application)
    return application


__all__ = [
    "ApplicationError",
    "StaleAnswer",
    "add_file_evidence",
    "add_finding_statement",
    "add_signed_declaration",
    "add_url_evidence",
    "changed_items",
    "create_application",
    "declare_incident",
    "declare_no_incidents",
    "incidents_declared",
    "record_audit",
    "remove_audit",
    "remove_evidence",
    "remove_incident",
    "remove_scan_report",
    "save_answer",
    "set_host_roles",
    "snapshot",
    "submit",
    "today_in_tokyo",
    "update_contacts",
    "upload_scan_report",
    "withdraw",
]
