"""Nuclei JSON Lines (`nuclei -jsonl` / `-json`), and the JSON array of `-json-export`.

Fields relied on (ProjectDiscovery nuclei output, `output.ResultEvent`): `template-id`
(older: `templateID`), `info.name`, `info.classification.cve-id` (list),
`info.classification.cvss-metrics` (a CVSS:3.x or CVSS:4.0 vector),
`info.classification.cvss-score`, `host`, `ip`, `port`, `matched-at` (older `matched`),
`type`, `timestamp`. `info.severity` is the template's label and is ignored.
Results of one template on one host and port are one finding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import tzinfo
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from ..errors import ReportError
from ..model import Report
from ..scores import best_of
from ..source import Source
from ..times import parse_time
from .common import Builder, cves_in, fmt_port, normal_ip

_DEFAULT_PORTS = {"http": "80", "https": "443", "dns": "53"}


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "nuclei-jsonl", naive_tz)
    build.report.scanner = "Nuclei"
    with source.open() as stream:
        for record in _records(stream, source.name, source.max_record):
            if isinstance(record, dict):
                _result(record, build)
    return build.finish()


def _records(stream: BinaryIO, name: str, limit: int) -> Iterator[Any]:
    first = stream.peek(64)[:64].lstrip(b"\xef\xbb\xbf \t\r\n")  # type: ignore[attr-defined]
    if first.startswith(b"["):
        yield from _array(stream, name, limit)
        return
    for number, line in enumerate(_lines(stream, name, limit), start=1):
        text = line.strip()
        if not text:
            continue
        try:
            yield json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ReportError.of("malformed_json", name, line=number, detail=str(exc)) from exc


def _lines(stream: BinaryIO, name: str, limit: int) -> Iterator[bytes]:
    """Each line, never reading more than `limit` bytes of one (a longer line is refused)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            raise ReportError.of("record_too_long", name, limit=limit)
        yield line.lstrip(b"\xef\xbb\xbf") if line.startswith(b"\xef\xbb\xbf") else line


_SKIP = re.compile(r"[ \t\r\n,\ufeff]*")


def _array(stream: BinaryIO, name: str, limit: int) -> Iterator[Any]:
    """Objects of a top-level JSON array, decoded one at a time (no whole-file load).

    Linear: the buffer is read by position (never re-sliced per record), compacted only
    when more input is needed, and a record that does not fit is retried with twice the
    input, so a long record costs O(its size) and one longer than `limit` is refused.
    """
    decoder = json.JSONDecoder()
    buffer = ""
    pos = 0
    eof = False
    started = False
    want = 1 << 20

    def fill() -> bool:
        nonlocal buffer, pos, eof
        chunk = stream.read(want)
        if not chunk:
            eof = True
            return False
        buffer = buffer[pos:] + chunk.decode("utf-8", errors="replace")
        pos = 0
        return True

    while True:
        pos = _SKIP.match(buffer, pos).end()  # type: ignore[union-attr]
        if pos >= len(buffer):
            if eof or not fill():
                raise ReportError.of("json_truncated", name)
            continue
        if not started:
            if buffer[pos] != "[":
                raise ReportError.of("json_not_array", name)
            pos += 1
            started = True
            continue
        if buffer[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(buffer, pos)
        except (ValueError, RecursionError) as exc:
            if len(buffer) - pos > limit:
                raise ReportError.of("record_too_long", name, limit=limit) from exc
            # The record may continue past the buffer: read as much again as we hold.
            want = max(want, len(buffer) - pos)
            if eof or not fill():
                raise ReportError.of("json_truncated_record", name, detail=str(exc)) from exc
            continue
        if end - pos > limit:
            raise ReportError.of("record_too_long", name, limit=limit)
        pos = end
        want = 1 << 20
        yield value


def _result(record: dict[str, Any], build: Builder) -> None:
    template = _text(record.get("template-id") or record.get("templateID"))
    info = record.get("info") if isinstance(record.get("info"), dict) else {}
    assert isinstance(info, dict)
    target = _text(record.get("host")) or _text(record.get("matched-at") or record.get("matched"))
    address = _text(record.get("ip"))
    if not template or not (target or address):
        return
    hostname, port = _target(target, _text(record.get("port")), _text(record.get("type")))
    host = build.host(address or hostname, hostname)
    when = parse_time(_text(record.get("timestamp")), build.naive_tz)
    build.times(host, when, when)
    classification = info.get("classification")
    cves: tuple[str, ...] = ()
    scores = []
    if isinstance(classification, dict):
        cve_field = classification.get("cve-id")
        items = cve_field if isinstance(cve_field, list) else [cve_field]
        cves = cves_in(_text(c) for c in items)
        vector = _text(classification.get("cvss-metrics"))
        scores.append(best_of(vector, _text(classification.get("cvss-score")), None, "3.1"))
    build.add(host, port, template, _text(info.get("name")) or template, cves, scores)


def _target(target: str, port: str, kind: str) -> tuple[str, str]:
    """Host name and "port/proto" from `host` / `matched-at`, which may be URLs."""
    proto = "udp" if kind == "dns" else "tcp"
    if "://" in target:
        parts = urlsplit(target)
        host = parts.hostname or ""
        try:
            url_port = str(parts.port) if parts.port else ""
        except ValueError:
            url_port = ""
        return host, fmt_port(port or url_port or _DEFAULT_PORTS.get(parts.scheme, ""), proto)
    host = target
    if normal_ip(target) is None and target.count(":") == 1:
        host, _, maybe_port = target.partition(":")
        if maybe_port.isdigit():
            port = port or maybe_port
    elif target.startswith("[") and "]:" in target:
        host, _, maybe_port = target[1:].partition("]:")
        port = port or maybe_port
    return host, fmt_port(port or _DEFAULT_PORTS.get(kind, ""), proto)


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()
