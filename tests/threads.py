"""Joining the worker threads of the concurrency tests: never wait forever."""

from __future__ import annotations

import threading
from collections.abc import Iterable

# How long a concurrency test waits for its workers before it fails (instead of hanging CI).
THREAD_JOIN_SECONDS = 60.0


def join_all(threads: Iterable[threading.Thread], seconds: float = THREAD_JOIN_SECONDS) -> None:
    """Join every thread, each within `seconds`; fail naming the ones still running."""
    hung = []
    for thread in threads:
        thread.join(timeout=seconds)
        if thread.is_alive():
            hung.append(thread.name)
    assert not hung, f"worker threads still running after {seconds:.0f} s: {hung}"
