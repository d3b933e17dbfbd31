"""Rapid7 Nexpose / InsightVM "XML Export 2.0" (root `NexposeReport`, also 1.0).

Fields relied on (Rapid7, "Working with report formats" / XML Export 2.0 DTD):
`scans/scan@startTime@endTime@status`; `nodes/node@address`, `node/names/name`,
`node/tests/test` (host-level) and `node/endpoints/endpoint@protocol@port/services/
service/tests/test` with `@id` and `@status`; `VulnerabilityDefinitions/vulnerability@id
@title@cvssScore@cvssVector` ("(AV:N/...)", v2) and, where present, `@cvssV3Score`
`@cvssV3Vector`; `references/reference@source="CVE"`. Only tests whose status is
`vulnerable-exploited`, `vulnerable-version` or `vulnerable-potential` are findings
(`not-vulnerable`, `skipped-*`, `error` are not). `severity` (1-10) is ignored.
Nexpose times (`20210228T225351463`) carry no zone.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from ..model import Report, Score
from ..scores import best_of
from ..source import Source
from ..times import parse_time
from ..xmlsafe import iterparse, local, release, text_of
from .common import Builder, cves_in, fmt_port


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "nexpose-xml", naive_tz)
    build.report.scanner = "Rapid7 Nexpose"
    pending: list[tuple[Any, str, str]] = []
    definitions: dict[str, tuple[str, tuple[str, ...], list[Score | None]]] = {}
    with source.open(buffered=False) as stream:
        for event, elem in iterparse(
            stream, ("NexposeReport", "scan", "node", "vulnerability"), events=("start", "end")
        ):
            name = local(elem.tag)
            if event == "start":
                if name == "NexposeReport" and elem.get("version"):
                    build.report.scanner_version = f"XML {elem.get('version')}"
                continue
            if name == "scan":
                started = parse_time(elem.get("startTime"), naive_tz)
                finished = parse_time(elem.get("endTime"), naive_tz)
                build.times(None, started, finished)
                status = (elem.get("status") or "").lower()
                if status and status != "finished":
                    build.note(f"scan {elem.get('id') or ''} status: {status}")
            elif name == "node":
                pending.extend(_node(elem, build))
            elif name == "vulnerability":
                definitions[(elem.get("id") or "").lower()] = _definition(elem)
            else:
                continue
            release(elem)
    for host, port, test in pending:
        title, cves, scores = definitions.get(test.lower(), (test, (), []))
        build.add(host, port, test, title, cves, scores)
    return build.finish()


def _vulnerable(test: Any) -> bool:
    status = (test.get("status") or "").lower()
    return status.startswith("vulnerable") or status == "potential"


def _node(elem: Any, build: Builder) -> list[tuple[Any, str, str]]:
    address = elem.get("address")
    names = [text_of(n) for n in elem.iterfind("{*}names/{*}name")]
    if not address and not names:
        return []
    host = build.host(address or None, *names)
    out = []
    for test in elem.iterfind("{*}tests/{*}test"):
        if _vulnerable(test):
            out.append((host, fmt_port(None, None), test.get("id") or ""))
    for endpoint in elem.iterfind("{*}endpoints/{*}endpoint"):
        port = fmt_port(endpoint.get("port"), endpoint.get("protocol"))
        for test in endpoint.iterfind(".//{*}tests/{*}test"):
            if _vulnerable(test):
                out.append((host, port, test.get("id") or ""))
    return [item for item in out if item[2]]


def _attr(elem: Any, *names: str) -> str:
    lowered = {k.lower(): v for k, v in elem.attrib.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value:
            return str(value)
    return ""


def _definition(elem: Any) -> tuple[str, tuple[str, ...], list[Score | None]]:
    refs = [
        text_of(r)
        for r in elem.iterfind("{*}references/{*}reference")
        if (r.get("source") or "").upper() == "CVE"
    ]
    scores = [
        best_of(_attr(elem, "cvssVector"), _attr(elem, "cvssScore"), "2.0"),
        best_of(
            _attr(elem, "cvssV3Vector", "cvss3Vector"),
            _attr(elem, "cvssV3Score", "cvss3Score"),
            "3.x",
            "3.0",
        ),
        best_of(
            _attr(elem, "cvssV4Vector", "cvss4Vector"),
            _attr(elem, "cvssV4Score", "cvss4Score"),
            "4.0",
        ),
    ]
    return (elem.get("title") or elem.get("id") or "", cves_in(refs), scores)
