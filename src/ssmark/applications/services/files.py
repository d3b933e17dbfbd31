"""Storing uploaded files for the workflows: size limit and content sniffing, removal of the
files a failed service stored (`_guarded`), and releasing files a row lets go of.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum

from ssmark.core.models import audit

from .. import sniff
from ..models import Application
from ..storage import Stored, TooLarge, delete_quietly, new_name, release, save_upload
from .common import _lock_editable, _touch
from .errors import (
    ERROR_EVIDENCE_NOT_HERE,
    ERROR_FILE_TOO_LARGE,
    ERROR_FILE_TYPE,
    ERROR_NO_FILE,
    ERROR_QUOTA_REACHED,
    ApplicationError,
)

P = ParamSpec("P")
R = TypeVar("R")


def stored_bytes(application: Application) -> int:
    """What the application's evidence, audit records and statements take up (scan reports
    have their own limit, MAX_SCAN_REPORT_MB)."""
    from ..models import Evidence, FindingStatement, SecurityAuditRecord

    querysets = [
        Evidence.objects.filter(answer__application=application),
        SecurityAuditRecord.objects.filter(application=application),
        FindingStatement.objects.filter(application=application),
    ]
    return sum(int(qs.aggregate(total=Sum("size"))["total"] or 0) for qs in querysets)


def _check_quota(used: int, size: int, display: str) -> None:
    """Refuse a file of `size` bytes that would take an application already using `used`
    (`stored_bytes`) over SSMARK_APPLICATION_QUOTA_MB."""
    quota_mb = settings.SSMARK_APPLICATION_QUOTA_MB
    if used + size > quota_mb * 1024 * 1024:
        raise ApplicationError(
            ERROR_QUOTA_REACHED,
            name=display,
            quota=quota_mb,
            used=f"{used / (1024 * 1024):.1f}",
        )


def _store_checked_file(
    application: Application, upload: UploadedFile | None, folder: str
) -> tuple[Stored, sniff.Sniffed]:
    """Size limit, content sniffing, then store. Raises ApplicationError and stores nothing
    when the file is refused."""
    if upload is None:
        raise ApplicationError(ERROR_NO_FILE)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    from ..storage import clean_original_name

    display = clean_original_name(upload.name)
    if upload.size is not None and upload.size > limit:
        raise ApplicationError(ERROR_FILE_TOO_LARGE, name=display, limit=settings.MAX_UPLOAD_MB)
    used = stored_bytes(application)  # the application is locked: it stays this while we store
    _check_quota(used, upload.size or 0, display)
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
    try:
        _check_quota(used, stored.size, display)  # the size as stored, not as declared
    except ApplicationError:
        delete_quietly(stored.name)
        raise
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


def _release(name: str | None, sha256: str, application: Application) -> None:
    """A row of `application` let go of the stored file `name`: it is deleted once the change
    commits, unless something still refers to it (another application's row that shares it
    after a renewal, or a submitted round that lists it: see storage.is_referenced)."""
    if name:
        release(name, sha256=sha256, organisation_id=application.organisation_id)


def _remove_stored(
    *,
    actor: Any,
    application: Application,
    owner_id: int,
    delete: Callable[[], object],
    action: str,
    data: dict[str, Any],
    name: str | None,
    sha256: str,
    refuse: Callable[[], None] | None = None,
) -> None:
    """Remove a stored thing (evidence, an audit record, a scan report) of an editable
    application, in the caller's transaction: lock the application and check it may be
    edited by `actor`, check the thing is this application's (`owner_id`), let `refuse` say no
    (e.g. a report being read), `delete` the row(s), mark the application changed, audit
    `action` with `data`, and release the stored file `name` (deleted once the removal
    commits, unless something still refers to it)."""
    _lock_editable(actor, application)
    if owner_id != application.pk:
        raise ApplicationError(ERROR_EVIDENCE_NOT_HERE)
    if refuse is not None:
        refuse()
    delete()
    _touch(application)
    audit(actor=actor, action=action, target=application, data=data)
    _release(name, sha256, application)
