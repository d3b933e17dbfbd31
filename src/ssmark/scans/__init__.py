"""Vulnerability-scan reports and the CVSS gate of item 2-1-1 (pure Python, no Django).

report = parse_report("scan.nessus")            # or a binary file object
verdict = evaluate([report], date(2024, 5, 31), load_roles("ROLES.yaml"))
verdict.passed, verdict.to_dict()
"""

from __future__ import annotations

import gc
import os
from datetime import tzinfo
from typing import BinaryIO

from lxml import etree

from .detect import FORMATS, detect
from .errors import ReportError
from .gate import ROLES, GateVerdict, Thresholds, earliest_fresh_date, evaluate
from .model import Finding, Host, Report, Score
from .parsers.common import Sink
from .roles import load_roles, parse_roles
from .source import DEFAULT_MAX_BYTES, DEFAULT_MAX_RECORD, Source
from .times import SCHEME_TZ

__all__ = [
    "FORMATS",
    "ROLES",
    "SCHEME_TZ",
    "Finding",
    "GateVerdict",
    "Host",
    "Report",
    "ReportError",
    "Score",
    "Sink",
    "Thresholds",
    "detect_format",
    "earliest_fresh_date",
    "evaluate",
    "load_roles",
    "parse_report",
    "parse_roles",
    "tune_gc_for_parsing",
]


def tune_gc_for_parsing() -> None:
    """For a process whose work is reading a report (`ssmark scan-check`, the upload job's
    child): a parse makes millions of short-lived objects without reference cycles, which
    the cyclic collector would scan every 700 allocations for nothing (3-4 % of the time).
    Young objects are collected every 100,000 allocations instead; reference counting frees
    them as they die, so memory stays as flat as before."""
    gc.set_threshold(100_000, 10, 10)


def detect_format(source: str | os.PathLike[str] | BinaryIO, name: str | None = None) -> str:
    """The format id of a report ("nessus-v2", ...); raises ReportError when unknown."""
    src = Source(source, name)
    return detect(src.head, src.name)[0]


def parse_report(
    source: str | os.PathLike[str] | BinaryIO,
    name: str | None = None,
    naive_tz: tzinfo = SCHEME_TZ,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    max_record: int = DEFAULT_MAX_RECORD,
    sink: Sink | None = None,
) -> Report:
    """Read one report, streaming. Raises ReportError for anything it cannot read.

    With a `sink`, findings are handed to it in batches as they are read and the returned
    report's `findings` is empty (`finding_count` says how many there were).
    """
    from .parsers import (
        nessus_xml,
        nexpose_xml,
        nmap_vulners,
        nuclei_jsonl,
        openvas_csv,
        openvas_xml,
        qualys_xml,
        tenable_csv,
    )

    src = Source(source, name, max_bytes, max_record)
    src.sink = sink
    fmt, root = detect(src.head, src.name)
    try:
        if fmt == "nessus-v2":
            return nessus_xml.parse(src, naive_tz)
        if fmt == "openvas-xml":
            return openvas_xml.parse(src, naive_tz)
        if fmt == "qualys-xml":
            return qualys_xml.parse(src, naive_tz, root)
        if fmt == "nexpose-xml":
            return nexpose_xml.parse(src, naive_tz)
        if fmt == "nmap-vulners":
            return nmap_vulners.parse(src, naive_tz)
        if fmt == "nessus-csv":
            return tenable_csv.parse(src, naive_tz)
        if fmt == "openvas-csv":
            return openvas_csv.parse(src, naive_tz)
        return nuclei_jsonl.parse(src, naive_tz)
    except etree.XMLSyntaxError as exc:
        from .xmlsafe import xml_error

        raise xml_error(exc, src.name) from exc
    except ReportError as exc:
        exc.path = exc.path or src.name
        raise
    except OSError as exc:
        raise ReportError.of("cannot_read", src.name, detail=str(exc)) from exc
