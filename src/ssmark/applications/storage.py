"""Storing uploads: under EVIDENCE_ROOT (outside any web root), random names, SHA-256.

Files are written through Django's default storage (configured on EVIDENCE_ROOT). The stored
name never contains anything from the uploader (no path tricks, no executable extensions);
the original name is kept in the database for display and download only.

An upload Django already wrote to a temporary file (a large one: TemporaryUploadedFile, in
FILE_UPLOAD_TEMP_DIR, next to EVIDENCE_ROOT) is read once to hash and measure it, then moved
into place (a rename, not a second copy of up to a gigabyte); one held in memory is copied.

A stored file may be referred to by more than one row: a renewal carries the previous
application's evidence over by its stored name, without copying the bytes. So a file is never
deleted because one row let go of it: `release()` deletes it, once the transaction commits,
only if nothing refers to it any more (`is_referenced()`): no row of any model with a file field
has that name, and no submitted round of the same company lists its SHA-256.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.functions import Cast

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Stored:
    name: str
    original_name: str
    size: int
    sha256: str


def clean_original_name(name: str | None) -> str:
    """The file name as the user's computer had it, without any directory part."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:255] or "file"


def new_name(application_id: int, folder: str, extension: str = "") -> str:
    return f"applications/{application_id}/{folder}/{uuid.uuid4().hex}{extension}"


class _HashingReader(File):
    """Wraps an upload so that storage.save() hashes and counts it while copying, and stops
    with `TooLarge` as soon as more than `limit` bytes have passed."""

    def __init__(self, upload: UploadedFile, limit: int) -> None:
        super().__init__(upload.file, name=upload.name)
        self._upload = upload
        self.limit = limit
        self.digest = hashlib.sha256()
        self.count = 0

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        for chunk in self._upload.chunks(chunk_size or CHUNK):
            self.count += len(chunk)
            if self.count > self.limit:
                raise TooLarge(self.count)
            self.digest.update(chunk)
            yield chunk

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks()


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def save_upload(upload: UploadedFile, *, name: str, limit: int) -> Stored:
    """Store `upload` as `name`, hashed (SHA-256) and measured; refuse more than `limit` bytes
    (`TooLarge`).

    An upload in a temporary file on disk (`temporary_file_path()`) is read once to hash and
    measure it, then the storage moves that file into place: FileSystemStorage renames it
    (file_move_safe; a copy only across filesystems) and gives it FILE_UPLOAD_PERMISSIONS like
    any stored file; Django's later close of the upload ignores the missing temporary file.
    Anything else is copied chunk by chunk, hashing on the way. Never the whole file in
    memory. On any failure nothing is left behind in storage.
    """
    hashing: _HashingReader | None = None
    if hasattr(upload, "temporary_file_path"):
        upload.flush()  # bytes still buffered in this process belong to the file moved
        size, sha256 = _measure(upload.temporary_file_path(), limit)  # refused: nothing stored
        content: File = upload
    else:
        content = hashing = _HashingReader(upload, limit)
    try:
        saved = default_storage.save(name, content)
    except BaseException:
        # A refused or broken copy (or a move that fell back to one) may leave a partial file.
        delete_quietly(name)
        raise
    if hashing is not None:
        size, sha256 = hashing.count, hashing.digest.hexdigest()
    return Stored(
        name=saved,
        original_name=clean_original_name(upload.name),
        size=size,
        sha256=sha256,
    )


def _measure(path: str, limit: int) -> tuple[int, str]:
    """Size and SHA-256 of the file at `path`, read once; `TooLarge` past `limit` bytes."""
    digest = hashlib.sha256()
    count = 0
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise TooLarge(size)
        while read := handle.readinto(buffer):
            count += read
            if count > limit:
                raise TooLarge(count)
            digest.update(view[:read])
    return count, digest.hexdigest()


def delete_quietly(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


@functools.cache
def file_fields() -> tuple[tuple[type[models.Model], str], ...]:
    """(model, field name) of every file field of every installed model: all the places a
    stored name can be referred to from (evidence, scan reports, statements, audits, and any
    file-bearing model added later)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model, field.name))
    return tuple(found)


def is_referenced(name: str, *, sha256: str = "", organisation_id: int | None = None) -> bool:
    """Does anything still refer to the stored file `name`?

    - a row of any model with a file field holding `name` (the evidence of this application or
      of another one that carried it over, an audit record, a scan report, …);
    - a submitted round (Submission snapshot) that lists `sha256`: the file stays on record for
      the reviewers of that round. Only the rounds of `organisation_id`'s applications count
      (files are carried over only within one company); without it, every round counts.
    """
    if not name:
        return False
    for model, field in file_fields():
        if model._default_manager.filter(**{field: name}).exists():
            return True
    if sha256:
        from .models import Submission

        rounds = Submission.objects.all()
        if organisation_id is not None:
            rounds = rounds.filter(application__organisation_id=organisation_id)
        text = Cast("snapshot", output_field=models.TextField())
        if rounds.annotate(snapshot_text=text).filter(snapshot_text__contains=sha256).exists():
            return True
    return False


def release(name: str, *, sha256: str = "", organisation_id: int | None = None) -> None:
    """A row let go of the stored file `name`: once the surrounding transaction commits, delete
    the file if nothing refers to it any more (checked then, against what is committed). A
    failure to check or delete is logged, never raised (the file is merely kept)."""
    if not name:
        return

    def delete_if_unreferenced() -> None:
        if not is_referenced(name, sha256=sha256, organisation_id=organisation_id):
            delete_quietly(name)
        else:
            log.debug("stored file %s is still referred to; kept", name)

    transaction.on_commit(delete_if_unreferenced, robust=True)


def open_stored(name: str) -> IO[bytes]:
    return default_storage.open(name, "rb")


def local_path(name: str) -> str:
    return str(default_storage.path(name))
