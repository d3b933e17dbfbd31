"""Evidence for an item: files, web addresses and signed declarations; removing evidence."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from ssmark.core.models import audit

from .. import assessment
from ..models import Application, Evidence, EvidenceKind, ItemAnswer
from .common import _answer_for, _item, _lock_editable, _touch
from .errors import (
    ERROR_DECLARATION_TEXT,
    ERROR_NOT_SIGNED_ITEM,
    ERROR_SIGNER_NAME,
    ERROR_URL_NOT_ASKED,
    ERROR_URL_SCHEME,
    ApplicationError,
)
from .files import _file_fields, _guarded, _remove_stored, _store_checked_file

# --- evidence -------------------------------------------------------------------------------


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


@transaction.atomic
def remove_evidence(*, actor: Any, application: Application, evidence: Evidence) -> None:
    """Remove a piece of evidence. Its file is deleted once the removal commits, unless
    something still refers to it: a submitted round (the file stays on record for the
    reviewers) or another application's evidence (a renewal carries files over by name)."""
    answer = ItemAnswer.objects.select_related("item").get(pk=evidence.answer_id)
    _remove_stored(
        actor=actor,
        application=application,
        owner_id=answer.application_id,
        delete=evidence.delete,
        action="ssmark.application.evidence_removed",
        data={
            "item": answer.item.code,
            "evidence": evidence.pk,
            "kind": evidence.kind,
            "name": evidence.original_name,
            "url": evidence.url,
            "sha256": evidence.sha256,
        },
        name=evidence.file.name if evidence.has_file else "",
        sha256=evidence.sha256,
    )
