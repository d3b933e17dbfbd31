"""The scan-report worker that `ssmark serve` starts beside the server ends with the server:
stopped by it when it stops (SIGTERM, Ctrl-C, an error), and by itself when the server dies
without stopping it (SIGKILL). A worker left behind would keep polling the database."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from ssmark.applications import scanjobs


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (from /proc: no psutil)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to reap it has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database for the servers of this module (migrated by the first)."""
    return tmp_path_factory.mktemp("serve-var")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_the_scan_worker_ends_with_the_server(
    stop: signal.Signals, var_dir: Path, tmp_path: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SSMARK_", "DATABASE_URL", "DJANGO_"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "ssmark.settings",
        "SSMARK_VAR_DIR": str(var_dir),
        "SSMARK_SITE_URL": f"http://127.0.0.1:{port}",
        "SSMARK_SCAN_WORKERS": "1",
    }
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "ssmark.cli", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # The worker is up and polling (it prints this line before its first poll).
        assert _wait_for(lambda: b"run-jobs: waiting" in log.read_bytes(), 60), log.read_text()
        (worker,) = [pid for pid in _children(server.pid) if "run-jobs" in _command_line(pid)]
        os.kill(server.pid, stop)
        server.wait(timeout=30)
        assert _wait_for(lambda: not _alive(worker), 5), (
            f"scan worker {worker} outlived the server stopped by {stop.name}"
        )
    finally:
        # Whatever is left of this server's session (granian's own worker too, on SIGKILL).
        if server.poll() is None:
            server.kill()
            server.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)


@pytest.mark.django_db
def test_serve_stops_its_workers_when_the_server_returns(
    monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path
) -> None:
    import granian.server

    class FakeServer:
        def __init__(self, target: str, **kwargs: Any) -> None:
            pass

        def serve(self) -> None:
            raise KeyboardInterrupt  # Ctrl-C, as granian passes it on

    started: list[subprocess.Popen[bytes]] = []
    real_start = scanjobs.start_worker_processes

    def start() -> list[subprocess.Popen[bytes]]:
        procs = real_start()
        started.extend(procs)
        return procs

    settings.STATIC_ROOT = tmp_path / "static"
    monkeypatch.setenv("SSMARK_SCAN_WORKERS", "2")
    monkeypatch.setattr(granian.server, "Server", FakeServer)
    monkeypatch.setattr(scanjobs, "start_worker_processes", start)
    try:
        with pytest.raises(KeyboardInterrupt):
            call_command("serve", "--port", "8124")
        assert len(started) == 2
        assert [proc.poll() is not None for proc in started] == [True, True]
        assert all(proc.args[-2:] == ["--parent", str(os.getpid())] for proc in started)
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
