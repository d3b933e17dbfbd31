"""Storing an upload: one Django already wrote to a temporary file (a large one) is hashed by
reading it once and moved into the evidence folder (a rename, no second copy); one held in
memory is copied. Either way: the same bytes, size, SHA-256 and file mode, the size limit, and
nothing left in storage when refused."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.storage import filesystem as fs_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from ssmark.applications import storage
from ssmark.applications.models import ScanReport
from ssmark.applications.services import scans as scan_services
from tests.applications.factories import HOSTS, nuclei_report

CONTENT = b"".join(b"%07d report line\n" % i for i in range(200_000))  # 3.4 MB


def temporary_upload(content: bytes, name: str = "report.nessus") -> TemporaryUploadedFile:
    """What Django's TemporaryFileUploadHandler hands the view for a large upload."""
    upload = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    upload.write(content)
    upload.seek(0)
    return upload


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()]


def mode(name: str) -> int:
    return stat.S_IMODE(os.stat(default_storage.path(name)).st_mode)


def test_a_temporary_upload_is_moved_with_the_mode_of_a_copied_one(settings, monkeypatch):
    moves: list[str] = []
    real_move = fs_storage.file_move_safe
    monkeypatch.setattr(
        fs_storage,
        "file_move_safe",
        lambda old, new, **kw: moves.append(old) or real_move(old, new, **kw),
    )
    upload = temporary_upload(CONTENT)
    temp_path = upload.temporary_file_path()
    assert Path(temp_path).parent == Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert stat.S_IMODE(os.stat(temp_path).st_mode) == 0o600
    inode = os.stat(temp_path).st_ino

    stored = storage.save_upload(
        upload, name=storage.new_name(1, "scans", ".report"), limit=len(CONTENT)
    )

    assert moves == [temp_path] and not Path(temp_path).exists()
    path = Path(default_storage.path(stored.name))
    assert path.stat().st_ino == inode  # renamed, not copied
    assert path.read_bytes() == CONTENT
    assert stored.size == len(CONTENT)
    assert stored.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert stored.original_name == "report.nessus"
    copied = storage.save_upload(
        SimpleUploadedFile("small.txt", b"small"),
        name=storage.new_name(1, "scans", ".report"),
        limit=10,
    )
    assert mode(stored.name) == mode(copied.name) == settings.FILE_UPLOAD_PERMISSIONS == 0o644
    upload.close()  # what Django does at the end of the request: the temp file is gone, no error


def test_a_temporary_upload_over_the_limit_is_refused_and_nothing_stored(settings):
    upload = temporary_upload(CONTENT)
    with pytest.raises(storage.TooLarge):
        storage.save_upload(
            upload, name=storage.new_name(1, "scans", ".report"), limit=len(CONTENT) - 1
        )
    assert not stored_files(settings)
    temp_path = upload.temporary_file_path()
    assert Path(temp_path).exists()
    upload.close()
    assert not Path(temp_path).exists()


def test_a_failed_move_leaves_nothing_in_storage(settings, monkeypatch):
    def half_a_copy(old, new, **kw):
        Path(new).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fs_storage, "file_move_safe", half_a_copy)
    upload = temporary_upload(CONTENT)
    with pytest.raises(OSError, match="No space"):
        storage.save_upload(
            upload, name=storage.new_name(1, "scans", ".report"), limit=len(CONTENT)
        )
    assert not stored_files(settings)
    upload.close()


def test_an_upload_in_memory_is_copied(settings, monkeypatch):
    monkeypatch.setattr(fs_storage, "file_move_safe", lambda *a, **kw: pytest.fail("moved"))
    upload = SimpleUploadedFile("report.nessus", CONTENT)
    stored = storage.save_upload(
        upload, name=storage.new_name(1, "scans", ".report"), limit=len(CONTENT)
    )
    assert Path(default_storage.path(stored.name)).read_bytes() == CONTENT
    assert stored.size == len(CONTENT) and stored.sha256 == hashlib.sha256(CONTENT).hexdigest()
    with pytest.raises(storage.TooLarge):
        storage.save_upload(
            upload, name=storage.new_name(1, "scans", ".report"), limit=len(CONTENT) - 1
        )
    assert stored_files(settings) == [Path(default_storage.path(stored.name))]


def test_a_large_scan_report_posted_to_the_page_is_moved_into_storage(
    draft, client_for, settings, monkeypatch
):
    lines = nuclei_report([(HOSTS["web"], f"t{i}", 5.0) for i in range(8000)]).splitlines()
    padding = b', "request": "' + b"x" * 300 + b'"}'
    content = b"\n".join(line[:-1] + padding for line in lines) + b"\n"
    assert len(content) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    handed: list[tuple[type, str, int]] = []
    real_save = scan_services.save_upload

    def spy(upload, **kw):
        path = upload.temporary_file_path()
        handed.append((type(upload), path, os.stat(path).st_ino))
        return real_save(upload, **kw)

    monkeypatch.setattr(scan_services, "save_upload", spy)

    response = client_for("alice").post(
        f"/applications/{draft.pk}/scan/", {"file": SimpleUploadedFile("big.jsonl", content)}
    )

    assert response.status_code == 302
    [(kind, temp_path, inode)] = handed
    assert kind is TemporaryUploadedFile
    assert Path(temp_path).parent == Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert not Path(temp_path).exists() and not any(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir())
    report = ScanReport.objects.get(application=draft)
    assert report.original_name == "big.jsonl" and report.size == len(content)
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert Path(report.file.path).read_bytes() == content
    assert Path(report.file.path).stat().st_ino == inode  # Django's temporary file, renamed
    assert stat.S_IMODE(Path(report.file.path).stat().st_mode) == 0o644
