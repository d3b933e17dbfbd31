"""Nessus v2 (`.nessus`, root `NessusClientData_v2`).

Fields relied on (Tenable, "Nessus v2 File Format"):
`Report/ReportHost@name`; `HostProperties/tag@name` = HOST_START, HOST_END,
HOST_START_TIMESTAMP, HOST_END_TIMESTAMP, host-ip, host-fqdn, hostname, host-rdns,
netbios-name; `ReportItem@port/@protocol/@pluginID/@pluginName` and its children
`cve` (repeated), `cvss_base_score`, `cvss_vector` ("CVSS2#..."), `cvss3_base_score`,
`cvss3_vector`, `cvss4_base_score`, `cvss4_vector` (also the `*_base_vector` spellings),
`plugin_output` of plugin 19506
(Nessus Scan Information, for the scanner version). `severity` and `risk_factor` are
the scanner's own labels and are ignored.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from ..model import Report
from ..scores import best_of
from ..source import Source
from ..times import from_epoch, parse_time
from ..xmlsafe import iterparse, local, release
from .common import Builder, fmt_port

_SCAN_INFO_PLUGIN = "19506"
_VERSION = re.compile(r"Nessus version\s*:\s*([0-9][\w.\-]*)")
# Element names seen across Nessus versions, mapped to (version, "vector" | "score").
_SCORE_FIELDS = {
    "cvss_vector": "v2",
    "cvss2_vector": "v2",
    "cvss_base_vector": "v2",
    "cvss_base_score": "s2",
    "cvss2_base_score": "s2",
    "cvss3_vector": "v3",
    "cvss3_base_vector": "v3",
    "cvss3_base_score": "s3",
    "cvss4_vector": "v4",
    "cvss4_base_vector": "v4",
    "cvss4_base_score": "s4",
}


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "nessus-v2", naive_tz)
    build.report.scanner = "Nessus"
    ports: dict[tuple[str | None, str | None], str] = {}
    with source.open() as stream:
        pending: list[Any] = []
        props: dict[str, str] = {}
        for _event, elem in iterparse(stream, ("HostProperties", "ReportItem", "ReportHost")):
            tag = elem.tag
            name = local(tag) if tag[0] == "{" else tag
            if name == "ReportItem":
                pending.append(_item(elem, build, ports))
                release(elem)
            elif name == "HostProperties":
                props = {t.get("name", ""): (t.text or "").strip() for t in elem}
                release(elem)
            else:
                _host(elem.get("name"), props, pending, build)
                pending, props = [], {}
                release(elem)
                build.host_done()
    return build.finish()


# The children _item reads (selected by lxml in C: the others never reach Python).
_WANTED = ("cve", *_SCORE_FIELDS)


def _item(
    elem: Any, build: Builder, ports: dict[tuple[str | None, str | None], str]
) -> tuple[str, str, str, list[str], dict[str, str]]:
    plugin = elem.get("pluginID") or ""
    raw = (elem.get("port"), elem.get("protocol"))
    port = ports.get(raw)
    if port is None:
        port = ports.setdefault(raw, fmt_port(*raw)) if len(ports) < 10000 else fmt_port(*raw)
    cves: list[str] = []
    fields: dict[str, str] = {}
    for child in elem.iterchildren(*_WANTED):
        tag = child.tag
        if tag == "cve":
            cves.append((child.text or "").strip())
        else:
            fields.setdefault(_SCORE_FIELDS[tag], (child.text or "").strip())
    title = elem.get("pluginName") or (elem.findtext("plugin_name") or "").strip()
    if plugin == _SCAN_INFO_PLUGIN:
        found = _VERSION.search(elem.findtext("plugin_output") or "")
        if found:
            build.report.scanner_version = found.group(1)
    return port, plugin, title, cves, fields


def _host(name: str | None, props: dict[str, str], items: list[Any], build: Builder) -> None:
    address = props.get("host-ip") or name
    names = [props.get("host-fqdn"), props.get("hostname"), props.get("host-rdns"), name]
    host = build.host(address, *names)
    # The epoch tags are exact; HOST_START/HOST_END are the scanner's local time.
    started = from_epoch(props.get("HOST_START_TIMESTAMP")) or parse_time(
        props.get("HOST_START"), build.naive_tz
    )
    finished = from_epoch(props.get("HOST_END_TIMESTAMP")) or parse_time(
        props.get("HOST_END"), build.naive_tz
    )
    build.times(host, started, finished)
    for port, plugin, title, cves, f in items:
        if f:
            scores = (
                best_of(f.get("v2"), f.get("s2"), "2.0"),
                best_of(f.get("v3"), f.get("s3"), "3.x", "3.0"),
                best_of(f.get("v4"), f.get("s4"), "4.0"),
            )
            build.add(host, port, plugin, title, cves, scores)
        else:
            build.add(host, port, plugin, title, cves)
