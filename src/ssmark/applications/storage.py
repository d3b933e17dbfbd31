"""Storing uploads: under EVIDENCE_ROOT (outside any web root), random names, SHA-256.

Files are written through Django's default storage (configured on EVIDENCE_ROOT). The stored
name never contains anything from the uploader (no path tricks, no executable extensions);
the original name is kept in the database for display and download only.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

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
    """Copy `upload` into storage as `name`, hashing on the way; refuse more than `limit` bytes.

    Streams chunk by chunk (never the whole file in memory). On any failure nothing is left
    behind in storage.
    """
    reader = _HashingReader(upload, limit)
    try:
        saved = default_storage.save(name, reader)
    except TooLarge:
        if default_storage.exists(name):
            default_storage.delete(name)
        raise
    return Stored(
        name=saved,
        original_name=clean_original_name(upload.name),
        size=reader.count,
        sha256=reader.digest.hexdigest(),
    )


def delete_quietly(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def open_stored(name: str) -> IO[bytes]:
    return default_storage.open(name, "rb")


def local_path(name: str) -> str:
    return str(default_storage.path(name))
