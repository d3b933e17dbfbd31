"""Memory stays flat as a report grows (the parser streams; it does not load the file)."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "scans" / "generate.py"
CHILD = (
    "import sys, json; from ssmark.scans import parse_report; "
    "r = parse_report(sys.argv[1]); print(json.dumps(len(r.findings)))"
)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scan_bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _peak_rss_mb(path: Path) -> float:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    json.loads(proc.stdout.read())
    _pid, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss / 1024


@pytest.mark.parametrize("fmt", ["nessus", "openvas"])
def test_peak_memory_does_not_follow_file_size(fmt: str, tmp_path: Path) -> None:
    gen = _generator()
    make = gen.nessus if fmt == "nessus" else gen.openvas
    small, large = tmp_path / "small", tmp_path / "large"
    make(small, 4 * 1024 * 1024, 40, random.Random(1))
    make(large, 40 * 1024 * 1024, 40, random.Random(1))  # same hosts, 10x the bytes
    grown = _peak_rss_mb(large) - _peak_rss_mb(small)
    assert grown < 15, f"peak RSS grew by {grown:.0f} MB for 36 MB more input"
