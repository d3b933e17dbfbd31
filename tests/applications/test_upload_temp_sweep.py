"""Temporary upload files left behind (a server process killed mid-upload, or between the upload
and the move into the evidence folder) are removed from FILE_UPLOAD_TEMP_DIR once they have not
been written for UPLOAD_TEMP_MAX_AGE_HOURS: by the scan-report worker every few minutes and by
`ssmark sweep-uploads`. Uploads in progress, links, folders, other files and anything outside
the folder are left alone; errors are logged, never raised."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.management import CommandError, call_command

from ssmark.applications import scanjobs, uploadtemp

HOURS = 6
OLD = time.time() - (HOURS + 1) * 3600


@pytest.fixture
def folder(settings) -> Path:
    settings.UPLOAD_TEMP_MAX_AGE_HOURS = HOURS
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


def leftover(folder: Path, name: str = "tmpa1b2c3d4.upload.nessus", when: float = OLD) -> Path:
    """A temporary upload file as Django names it, last written at `when`."""
    path = folder / name
    path.write_bytes(b"<NessusClientData_v2>")
    os.utime(path, (when, when))
    return path


def in_progress(content: bytes = b"x" * 1024) -> TemporaryUploadedFile:
    """An upload being received: Django's own temporary file, just written to."""
    upload = TemporaryUploadedFile("report.nessus", "application/octet-stream", 0, None)
    upload.write(content)
    upload.flush()
    return upload


def test_an_old_leftover_is_removed_and_an_upload_in_progress_kept(folder):
    old = leftover(folder)
    upload = in_progress()
    fresh = Path(upload.temporary_file_path())
    assert fresh.parent == folder and uploadtemp.UPLOAD_NAME.match(fresh.name)
    # Just under the limit: kept.
    nearly = leftover(folder, "tmpzzzzzzzz.upload", time.time() - (HOURS * 3600 - 60))

    result = uploadtemp.sweep()

    assert result.removed == [str(old)] and result.errors == 0
    assert not old.exists() and fresh.exists() and nearly.exists()
    upload.close()  # Django's own clean-up still works
    assert not fresh.exists()


def test_a_file_killed_before_its_move_is_removed_and_its_upload_closes_quietly(folder):
    upload = in_progress()
    path = upload.temporary_file_path()
    os.utime(path, (OLD, OLD))  # the process that received it is long gone

    assert uploadtemp.sweep().removed == [path]
    upload.close()  # FileNotFoundError is Django's to ignore
    assert not any(folder.iterdir())


def test_links_folders_other_names_and_what_lies_outside_are_left_alone(folder, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = leftover(outside)  # old, named as an upload, but not in the folder
    link = folder / "tmplinklink.upload.nessus"
    link.symlink_to(target)
    os.utime(link, (OLD, OLD), follow_symlinks=False)
    dangling = folder / "tmpdangling.upload"
    dangling.symlink_to(outside / "gone")
    sub = folder / "tmpsubdirxx.upload"
    sub.mkdir()
    inner = leftover(sub)
    os.utime(sub, (OLD, OLD))
    other = leftover(folder, "ssmark.sqlite3")  # a folder set by mistake keeps its files

    result = uploadtemp.sweep()

    assert result.removed == [] and result.errors == 0
    assert link.is_symlink() and target.exists() and dangling.is_symlink()
    assert sub.is_dir() and inner.exists() and other.exists()


def test_the_folder_itself_must_not_be_a_link(folder, tmp_path, settings):
    kept = leftover(folder)
    link = tmp_path / "uploads-link"
    link.symlink_to(folder)
    settings.FILE_UPLOAD_TEMP_DIR = str(link)

    result = uploadtemp.sweep()

    assert result.removed == [] and result.errors == 1 and kept.exists()


def test_no_folder_set_sweeps_nothing(folder, settings, monkeypatch):
    # Django would then use the system's temporary folder: never swept.
    settings.FILE_UPLOAD_TEMP_DIR = None
    monkeypatch.setattr(uploadtemp.os, "open", lambda *a, **k: pytest.fail("opened"))
    assert uploadtemp.sweep().removed == []


def test_a_missing_folder_is_logged_not_raised(folder, settings, caplog):
    settings.FILE_UPLOAD_TEMP_DIR = str(folder / "gone")
    result = uploadtemp.sweep()
    assert result.removed == [] and result.errors == 1
    assert "cannot open" in caplog.text


def test_a_file_gone_mid_sweep_or_refused_does_not_stop_the_sweep(folder, monkeypatch, caplog):
    vanishing = leftover(folder, "tmpvanishxx.upload")
    refused = leftover(folder, "tmprefusedx.upload")
    removable = leftover(folder, "tmpremovexx.upload")
    real_unlink = os.unlink

    def unlink(path, *, dir_fd=None):
        if path == vanishing.name:  # another worker (or the move) got there first
            real_unlink(path, dir_fd=dir_fd)
            raise FileNotFoundError(path)
        if path == refused.name:
            raise PermissionError(13, "Permission denied", path)
        return real_unlink(path, dir_fd=dir_fd)

    monkeypatch.setattr(uploadtemp.os, "unlink", unlink)

    result = uploadtemp.sweep()

    assert result.removed == [str(removable)] and result.errors == 1
    assert refused.exists() and not vanishing.exists() and not removable.exists()
    assert f"cannot remove {refused}" in caplog.text


def test_a_listing_refused_is_logged_not_raised(folder, monkeypatch, caplog):
    leftover(folder)

    def listdir(fd):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(uploadtemp.os, "listdir", listdir)
    result = uploadtemp.sweep()
    assert result.removed == [] and result.errors == 1 and "cannot list" in caplog.text


def test_the_worker_loop_sweeps_at_most_once_per_interval(folder, monkeypatch, caplog):
    """Driven by a fake clock: each poll takes a minute, the interval is five."""
    clock = [0.0]
    polls = []
    sweeps = []

    def run_pending():
        polls.append(clock[0])
        clock[0] += 60.0
        return 1  # a job ran: the loop polls again without sleeping

    def sweep():
        sweeps.append(clock[0])
        if len(sweeps) == 2:
            raise RuntimeError("a bug in the sweep")  # logged; the worker goes on
        return uploadtemp.Sweep(folder=str(folder))

    monkeypatch.setattr(uploadtemp, "_clock", lambda: clock[0])
    monkeypatch.setattr(uploadtemp, "sweep", sweep)
    monkeypatch.setattr(scanjobs, "run_pending", run_pending)
    # No database here: the loop's connection housekeeping is not what this test is about.
    monkeypatch.setattr("django.db.close_old_connections", lambda: None)
    monkeypatch.setattr(scanjobs, "parent_alive", lambda parent: len(polls) < 16)
    monkeypatch.setattr(scanjobs.time, "sleep", lambda s: pytest.fail("slept"))

    scanjobs.serve_forever(parent=1)

    assert len(polls) == 16
    assert uploadtemp.SWEEP_INTERVAL_SECONDS == 300
    assert sweeps == [0.0, 300.0, 600.0, 900.0]
    assert "a bug in the sweep" in caplog.text


def test_the_worker_logs_what_it_removed(folder, monkeypatch, caplog):
    leftover(folder)
    clock = [0.0]
    monkeypatch.setattr(uploadtemp, "_clock", lambda: clock[0])
    periodic = uploadtemp.PeriodicSweep(interval=300)
    assert periodic() is True and not any(folder.iterdir())
    assert "removed 1 temporary upload file(s)" in caplog.text
    leftover(folder)
    clock[0] = 299.0
    assert periodic() is False and any(folder.iterdir())
    clock[0] = 300.0
    assert periodic() is True and not any(folder.iterdir())


def test_the_command_dry_run_lists_and_removes_nothing(folder):
    old = leftover(folder)
    fresh = leftover(folder, "tmpfreshxxx.upload", time.time())

    out = io.StringIO()
    call_command("sweep_uploads", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        f"would remove {old}",
        f"sweep-uploads: 1 stale file(s) in {folder}, none removed",
    ]
    assert old.exists() and fresh.exists()

    out = io.StringIO()
    call_command("sweep_uploads", stdout=out)
    assert out.getvalue().splitlines()[0] == f"removed {old}"
    assert not old.exists() and fresh.exists()


def test_the_command_fails_when_the_folder_cannot_be_read(folder, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(folder / "gone")
    with pytest.raises(CommandError, match="1 error"):
        call_command("sweep_uploads", stdout=io.StringIO())
