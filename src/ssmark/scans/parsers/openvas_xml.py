"""Greenbone / OpenVAS XML report (GMP `get_reports`, report format "XML").

Fields relied on (Greenbone GMP reference, `get_reports` response): `report/report`
`scan_start`, `scan_end`, `timezone`, `gmp/version` (or `omp/version`),
`scan_run_status`; report-level `host` (`ip`, `start`, `end`, `detail` hostname);
`results/result`: `host` (text, with `hostname` child), `port` ("443/tcp",
"general/tcp"), `nvt@oid`, `nvt/name`, `nvt/cvss_base`, `nvt/tags`
(`cvss_base_vector=...`), `nvt/severities/severity@type` (cvss_base_v2/v3/v4) with
`value` (vector) and `score`, `nvt/refs/ref@type="cve"@id` and, in older versions,
`nvt/cve`. The result's `threat` and `severity` are the scanner's judgement (possibly
overridden) and are not used while the NVT gives CVSS data.
"""

from __future__ import annotations

import zoneinfo
from datetime import tzinfo
from typing import Any

from ..model import Report, Score
from ..scores import best_of, score_from_vector, score_only
from ..source import Source
from ..times import parse_time
from ..xmlsafe import iterparse, local, release, text_of
from .common import Builder, cves_in, fmt_port

_TAGS = (
    "result",
    "host",
    "scan_start",
    "scan_end",
    "timezone",
    "gmp",
    "omp",
    "scan_run_status",
    "ports",
    "report_format",
)
_HEADER = ("scan_start", "scan_end", "timezone", "scan_run_status")
_SEVERITY_TYPES = {"cvss_base_v2": "2.0", "cvss_base_v3": "3.x", "cvss_base_v4": "4.0"}


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "openvas-xml", naive_tz)
    build.report.scanner = "Greenbone OpenVAS"
    raw: dict[str, str] = {}
    host_times: list[tuple[Any, str, str]] = []
    with source.open(buffered=False) as stream:
        for _event, elem in iterparse(stream, _TAGS):
            name = local(elem.tag)
            parent = local(elem.getparent().tag) if elem.getparent() is not None else ""
            if name == "result":
                if parent == "results":
                    address, hostname, port, oid, title, cves, scores = _result(elem)
                    release(elem)
                    if address or hostname:
                        build.add(
                            build.host(address or None, hostname), port, oid, title, cves, scores
                        )
                continue  # a result nested in <detection> goes with its outer result
            if name == "host":
                if parent == "report":
                    host_times.append(_report_host(elem, build))
                    release(elem)
                continue
            if name in ("gmp", "omp"):
                version = elem.findtext("{*}version") or elem.findtext("version")
                if version:
                    build.report.scanner_version = f"GMP {version.strip()}"
            elif name in _HEADER and parent == "report" and name not in raw:
                raw[name] = (elem.text or "").strip()
            if name in ("ports", "report_format"):
                release(elem)
    zone = _zone(raw.get("timezone"), naive_tz)
    for host, start, end in host_times:
        build.times(host, parse_time(start, zone), parse_time(end, zone))
    started = parse_time(raw.get("scan_start"), zone)
    finished = parse_time(raw.get("scan_end"), zone)
    build.times(None, started, finished)
    if finished is not None:
        build.report.finished = finished  # the scan's own end beats per-host ends
    status = raw.get("scan_run_status")
    if status and status.lower() != "done":
        build.note(f"scan run status: {status}")
    return build.finish()


def _zone(name: str | None, fallback: tzinfo) -> tzinfo:
    if not name:
        return fallback
    if name.strip().upper() in {"UTC", "GMT", "COORDINATED UNIVERSAL TIME"}:
        return zoneinfo.ZoneInfo("UTC")
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return fallback


def _report_host(elem: Any, build: Builder) -> tuple[Any, str, str]:
    address = ""
    names: list[str] = []
    start = end = ""
    for child in elem:
        tag = local(child.tag)
        if tag == "ip":
            address = (child.text or "").strip()
        elif tag == "start":
            start = (child.text or "").strip()
        elif tag == "end":
            end = (child.text or "").strip()
        elif tag == "detail":
            key = (child.findtext("{*}name") or "").strip()
            if key in ("hostname", "best_hostname"):
                names.append((child.findtext("{*}value") or "").strip())
    host = build.host(address or None, *names) if (address or names) else None
    return host, start, end


def _result(
    elem: Any,
) -> tuple[str, str | None, str, str, str, tuple[str, ...], list[Score | None]]:
    address = ""
    hostname: str | None = None
    port = ""
    title = ""
    fallback_score = ""
    nvt = None
    for child in elem:
        tag = local(child.tag)
        if tag == "host":
            address = (child.text or "").strip()
            for sub in child:
                if local(sub.tag) == "hostname" and (sub.text or "").strip():
                    hostname = (sub.text or "").strip()
        elif tag == "port":
            port = (child.text or "").strip()
        elif tag == "nvt":
            nvt = child
        elif tag == "name":
            title = (child.text or "").strip()
        elif tag == "severity":
            fallback_score = (child.text or "").strip()
    oid = ""
    cves: list[str] = []
    scores: list[Score | None] = []
    if nvt is not None:
        oid = nvt.get("oid") or ""
        cvss_base = ""
        tag_vector = ""
        for child in nvt:
            tag = local(child.tag)
            if tag == "name" and (child.text or "").strip():
                title = (child.text or "").strip()
            elif tag == "cvss_base":
                cvss_base = (child.text or "").strip()
            elif tag == "tags":
                tag_vector = _tag_value(child.text or "", "cvss_base_vector")
            elif tag == "severities":
                scores.extend(_severities(child))
            elif tag == "refs":
                cves.extend(
                    r.get("id") or "" for r in child if (r.get("type") or "").lower() == "cve"
                )
            elif tag == "cve":
                cves.append(child.text or "")
        if tag_vector:
            scores.append(score_from_vector(tag_vector))
        if not any(s is not None for s in scores) and cvss_base:
            # GVM before 21.04 rated VTs in CVSS v2 only; a bare cvss_base is v2.
            scores.append(score_only(cvss_base, "2.0"))
    if not any(s is not None for s in scores) and fallback_score and oid:
        scores.append(score_only(fallback_score, None))
    port_text = port if "/" in port else fmt_port(port, None)
    return (address, hostname, port_text, oid or title, title, cves_in(cves), scores)


def _severities(elem: Any) -> list[Score | None]:
    out: list[Score | None] = []
    for sev in elem:
        if local(sev.tag) != "severity":
            continue
        version = _SEVERITY_TYPES.get((sev.get("type") or "").lower())
        vector = text_of(sev.find("{*}value"))
        score = text_of(sev.find("{*}score"))
        out.append(best_of(vector, score, version))
    return out


def _tag_value(tags: str, key: str) -> str:
    for part in tags.split("|"):
        if part.strip().startswith(key + "="):
            return part.split("=", 1)[1].strip()
    return ""
