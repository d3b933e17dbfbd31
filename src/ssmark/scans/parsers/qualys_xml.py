"""Qualys XML: the scan report template (`ASSET_DATA_REPORT`) and the scan results
(`SCAN`, scan-1.dtd).

Fields relied on (Qualys API "XML/DTD Reference": asset_data_report.dtd, scan-1.dtd):
- ASSET_DATA_REPORT: `HEADER/GENERATION_DATETIME`; `HOST_LIST/HOST` with `IP`, `IPV6`,
  `DNS`, `NETBIOS`, `LAST_SCAN_DATETIME`, `VULN_INFO_LIST/VULN_INFO` (`QID`, `TYPE`,
  `PORT`, `PROTOCOL`, `LAST_FOUND`, `VULN_STATUS`); `GLOSSARY/VULN_DETAILS_LIST/
  VULN_DETAILS` (`QID`, `TITLE`, `CVSS_SCORE/CVSS_BASE`, `CVSS3_SCORE/CVSS3_BASE`,
  `CVE_ID_LIST/CVE_ID/ID`). The glossary follows the hosts, so host findings wait for it.
- SCAN: `HEADER/KEY@value` = DATE (launch time), DURATION; `IP@value@name`, `IPV6`,
  `VULNS/CAT@port@protocol/VULN@number` and `PRACTICES/CAT/PRACTICE@number` (potential
  vulnerabilities) with `TITLE`, `CVSS_BASE`, `CVSS3_BASE`, `CVE_ID_LIST/CVE_ID/ID` (or
  the older `@cveid`). `INFOS` (information gathered) carry no CVSS and are skipped.
A CVSS value may read "7.4 (AV:N/AC:H/...)" when the template includes vectors; the
vector then decides. Qualys v3 vectors lack the `CVSS:3.x/` prefix and are read as 3.1.
`SEVERITY` (Qualys's 1-5 level) is ignored. VULN_INFO with VULN_STATUS "Fixed" is not
present any more and is skipped.
"""

from __future__ import annotations

import re
from datetime import timedelta, tzinfo
from typing import Any

from ..model import Report, Score
from ..scores import best_of, split_score_and_vector
from ..source import Source
from ..times import parse_time
from ..xmlsafe import iterparse, local, release, text_of
from .common import Builder, cves_in, fmt_port

_DURATION = re.compile(r"^(?:(\d+)\s+days?,?\s*)?(\d+):(\d\d):(\d\d)$")


def parse(source: Source, naive_tz: tzinfo, root: str) -> Report:
    if root == "SCAN":
        return _parse_scan(source, naive_tz)
    return _parse_asset_data(source, naive_tz)


def _scores(v2: str, v3: str) -> list[Score | None]:
    s2, vec2 = split_score_and_vector(v2)
    s3, vec3 = split_score_and_vector(v3)
    return [best_of(vec2, s2, "2.0"), best_of(vec3, s3, "3.x", "3.1")]


def _qid(elem: Any) -> str:
    if elem is None:
        return ""
    text = text_of(elem)
    if text:
        return text
    return (elem.get("id") or "").removeprefix("qid_")


def _parse_asset_data(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "qualys-xml", naive_tz)
    build.report.scanner = "Qualys"
    pending: list[tuple[Any, str, str]] = []
    glossary: dict[str, tuple[str, tuple[str, ...], list[Score | None]]] = {}
    with source.open(buffered=False) as stream:
        for _event, elem in iterparse(stream, ("HOST", "VULN_DETAILS", "GENERATION_DATETIME")):
            name = local(elem.tag)
            if name == "HOST":
                pending.extend(_adr_host(elem, build))
                release(elem)
            elif name == "VULN_DETAILS":
                qid = _qid(elem.find("{*}QID")) or (elem.get("id") or "").removeprefix("qid_")
                title = text_of(elem.find("{*}TITLE"))
                cves = cves_in(text_of(e) for e in elem.iterfind(".//{*}CVE_ID/{*}ID"))
                scores = _scores(
                    text_of(elem.find("{*}CVSS_SCORE/{*}CVSS_BASE")),
                    text_of(elem.find("{*}CVSS3_SCORE/{*}CVSS3_BASE")),
                )
                glossary[qid] = (title, cves, scores)
                release(elem)
    for host, port, qid in pending:
        title, cves, scores = glossary.get(qid, (f"QID {qid}", (), []))
        build.add(host, port, qid, title, cves, scores)
    if pending and not glossary:
        build.note("the report has no glossary: every finding is without CVSS")
    return build.finish()


def _adr_host(elem: Any, build: Builder) -> list[tuple[Any, str, str]]:
    def field(tag: str) -> str:
        return text_of(elem.find("{*}" + tag))

    address = field("IP") or field("IPV6")
    names = [field("DNS"), field("NETBIOS")]
    if not address and not any(names):
        return []
    host = build.host(address or None, *names)
    last_scan = parse_time(field("LAST_SCAN_DATETIME"), build.naive_tz)
    out = []
    for info in elem.iterfind(".//{*}VULN_INFO"):
        status = text_of(info.find("{*}VULN_STATUS")).lower()
        if status == "fixed":
            continue
        qid = _qid(info.find("{*}QID"))
        port = fmt_port(text_of(info.find("{*}PORT")), text_of(info.find("{*}PROTOCOL")))
        found = parse_time(text_of(info.find("{*}LAST_FOUND")), build.naive_tz)
        build.times(host, found, found)
        if qid:
            out.append((host, port, qid))
    build.times(host, last_scan, last_scan)
    return out


def _parse_scan(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "qualys-xml", naive_tz)
    build.report.scanner = "Qualys"
    keys: dict[str, str] = {}
    with source.open(buffered=False) as stream:
        for _event, elem in iterparse(stream, ("HEADER", "IP")):
            if local(elem.tag) == "HEADER":
                for key in elem.iterfind("{*}KEY"):
                    keys.setdefault((key.get("value") or "").upper(), text_of(key))
            else:
                _scan_ip(elem, build)
            release(elem)
    started = parse_time(
        keys.get("DATE") or keys.get("SCAN_DATE") or keys.get("LAUNCH_DATE"), naive_tz
    )
    finished = None
    duration = _DURATION.match(keys.get("DURATION", "").strip())
    if started is not None and duration:
        days, hours, minutes, seconds = (int(g or 0) for g in duration.groups())
        finished = started + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    build.report.started = started
    build.report.finished = finished or started
    if finished is None and started is not None:
        build.note("no scan DURATION: the launch time is taken as the finish time")
    return build.finish()


def _scan_ip(elem: Any, build: Builder) -> None:
    address = elem.get("value") or text_of(elem.find("{*}IPV6"))
    name = elem.get("name")
    netbios = text_of(elem.find("{*}NETBIOS_HOSTNAME"))
    if not address and not name:
        return
    host = build.host(address or None, name if name != "No registered hostname" else None, netbios)
    for section, item in (("VULNS", "VULN"), ("PRACTICES", "PRACTICE")):
        for cat in elem.iterfind(f"{{*}}{section}/{{*}}CAT"):
            port = fmt_port(cat.get("port"), cat.get("protocol"))
            for vuln in cat.iterfind("{*}" + item):
                number = vuln.get("number") or ""
                title = text_of(vuln.find("{*}TITLE"))
                cves = cves_in(
                    [vuln.get("cveid"), *(text_of(e) for e in vuln.iterfind(".//{*}CVE_ID/{*}ID"))]
                )
                scores = _scores(
                    text_of(vuln.find("{*}CVSS_BASE")), text_of(vuln.find("{*}CVSS3_BASE"))
                )
                build.add(host, port, number, title, cves, scores)
