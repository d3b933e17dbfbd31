"""Removing stale temporary upload files from FILE_UPLOAD_TEMP_DIR (settings UPLOAD_TEMP_DIR).

A large upload arrives in a temporary file there (Django's TemporaryUploadedFile) and is then
moved into the evidence folder (storage.save_upload); Django removes it when the request ends.
A server process killed in between leaves it behind, and nothing else empties that folder (it
is not the system's /tmp). `sweep()` removes such leftovers: the regular files directly in the
folder named as Django names its upload files (`tmp<random>.upload<ext>`) and not modified for
UPLOAD_TEMP_MAX_AGE_HOURS (an upload being received writes to its file all the time, and the
move follows its last write within seconds). Symbolic links, folders, anything else and
anything outside the folder are left alone; an error is logged, never raised. The scan-report
worker (`ssmark run-jobs`) sweeps every SWEEP_INTERVAL_SECONDS (`PeriodicSweep`); `ssmark
sweep-uploads` sweeps once, for a host where no worker runs.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import time
from dataclasses import dataclass, field

from django.conf import settings

log = logging.getLogger(__name__)

# The worker sweeps at most this often (seconds).
SWEEP_INTERVAL_SECONDS = 300.0
# tempfile.NamedTemporaryFile(suffix=".upload" + ext) in TemporaryUploadedFile: only such
# names are removed, so a folder set by mistake to one holding other files loses none of them.
UPLOAD_NAME = re.compile(r"tmp[a-z0-9_]+\.upload")


@dataclass
class Sweep:
    folder: str
    removed: list[str] = field(default_factory=list)  # paths (dry run: would be removed)
    errors: int = 0


def sweep(*, dry_run: bool = False) -> Sweep:
    """Remove the stale upload files (see the module); with `dry_run` only list them."""
    folder = settings.FILE_UPLOAD_TEMP_DIR or ""
    result = Sweep(folder=folder)
    if not folder:
        # Django would use the system's temporary folder: not ours to sweep.
        log.warning("upload sweep: FILE_UPLOAD_TEMP_DIR is not set; nothing swept")
        return result
    cutoff = time.time() - max(1, settings.UPLOAD_TEMP_MAX_AGE_HOURS) * 3600
    try:
        # The folder itself, not a link to one; names below are resolved in it (dir_fd), so
        # nothing outside it is reached even if its path changes during the sweep.
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        log.warning("upload sweep: cannot open %s (%s)", folder, exc.strerror or exc)
        result.errors += 1
        return result
    try:
        for name in _names(fd, folder, result):
            if not UPLOAD_NAME.match(name):
                continue
            path = os.path.join(folder, name)
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
                if not stat.S_ISREG(info.st_mode) or info.st_mtime >= cutoff:
                    continue
                if not dry_run:
                    os.unlink(name, dir_fd=fd)
            except FileNotFoundError:
                continue  # moved into the evidence folder or removed meanwhile
            except OSError as exc:
                log.warning("upload sweep: cannot remove %s (%s)", path, exc.strerror or exc)
                result.errors += 1
                continue
            result.removed.append(path)
    finally:
        os.close(fd)
    return result


def _names(fd: int, folder: str, result: Sweep) -> list[str]:
    try:
        return os.listdir(fd)
    except OSError as exc:
        log.warning("upload sweep: cannot list %s (%s)", folder, exc.strerror or exc)
        result.errors += 1
        return []


def _clock() -> float:
    return time.monotonic()


class PeriodicSweep:
    """`sweep()` at most once every `interval` seconds (on the monotonic clock): the first
    call sweeps, later ones only once the interval has passed. Never raises."""

    def __init__(self, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self.next_at: float | None = None

    def __call__(self) -> bool:
        now = _clock()
        if self.next_at is not None and now < self.next_at:
            return False
        self.next_at = now + self.interval
        try:
            result = sweep()
        except Exception:
            log.exception("upload sweep")
        else:
            if result.removed:
                log.warning(
                    "upload sweep: removed %d temporary upload file(s) left by interrupted "
                    "uploads from %s",
                    len(result.removed),
                    result.folder,
                )
        return True
