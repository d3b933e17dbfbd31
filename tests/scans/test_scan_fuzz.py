"""Fuzzing: truncated and mangled reports either parse or raise ReportError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssmark.scans import ReportError, parse_report

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_file())
SETTINGS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def attempt(data: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".bin") as handle:
        handle.write(data)
        handle.flush()
        try:
            report = parse_report(handle.name)
        except ReportError as exc:
            assert str(exc).strip() and "\n" not in str(exc).strip()
            return
        report.to_dict()
        for finding in report.findings:
            finding.to_dict()


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated(name: str, cut: float) -> None:
    data = (FIXTURES / name).read_bytes()
    attempt(data[: int(len(data) * cut)])


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(
    where=st.floats(min_value=0.0, max_value=1.0),
    length=st.integers(min_value=0, max_value=40),
    junk=st.binary(max_size=40)
    | st.sampled_from(
        [
            b"<",
            b">",
            b'"',
            b",",
            b";",
            b"\n",
            b"\x00",
            b"&",
            b"]]>",
            b"{",
            b"}",
            b"<!ENTITY",
            b"\xff\xfe",
            b"CVSS2#",
            b"/AV:N",
        ]
    ),
)
def test_mangled(name: str, where: float, length: int, junk: bytes) -> None:
    data = (FIXTURES / name).read_bytes()
    at = int(len(data) * where)
    attempt(data[:at] + junk + data[at + length :])


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    attempt(data)
