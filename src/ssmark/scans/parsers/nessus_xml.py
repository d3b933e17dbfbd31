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

from ..model import Report, Score
from ..scores import best_of, merge_scores
from ..source import Source
from ..times import from_epoch, parse_time
from ..xmlsafe import iterparse, local, release
from .common import Builder, Row, fmt_port

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


# Children of a ReportItem that the parser reads, with the item's own elements: lxml selects
# them in C (the descriptions and plugin outputs never reach Python) and hands each over as
# it ends, before its ReportItem ends.
_CHILDREN = ("cve", *_SCORE_FIELDS)
_TAGS = ("HostProperties", "ReportItem", "ReportHost", *_CHILDREN)
# Read items are cleared at once; the empty shells are dropped this many at a time (a host
# with millions of items still takes constant memory).
_DROP_EVERY = 512


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "nessus-v2", naive_tz)
    build.report.scanner = "Nessus"
    ports: dict[tuple[str | None, str | None], str] = {}
    # What the children of the item being read said (reset after each item).
    cves: list[str] = []
    fields: dict[str, str] = {}
    with source.open(buffered=False) as stream:
        pending: list[Row] = []
        props: dict[str, str] = {}
        shells = 0
        for _event, elem in iterparse(stream, _TAGS, keep_blank_text=False):
            tag = elem.tag
            name = local(tag) if tag[0] == "{" else tag
            if name == "ReportItem":  # nine events in ten: this branch is the parser's cost
                get = elem.get
                plugin = get("pluginID") or ""
                raw = (get("port"), get("protocol"))
                port = ports.get(raw)
                if port is None:
                    port = fmt_port(*raw)
                    if len(ports) < 10000:
                        ports[raw] = port
                title = get("pluginName") or (elem.findtext("plugin_name") or "").strip()
                if plugin == _SCAN_INFO_PLUGIN:
                    _scanner_version(elem, build)
                if cves or fields:
                    pending.append((port, plugin, title, tuple(cves), _scores(fields)))
                    cves, fields = [], {}
                else:
                    pending.append((port, plugin, title, (), ()))
                elem.clear(keep_tail=False)
                shells += 1
                if shells >= _DROP_EVERY:
                    release(elem)
                    shells = 0
            elif name == "HostProperties":
                props = {t.get("name", ""): (t.text or "").strip() for t in elem}
                release(elem)
            elif name == "ReportHost":
                _host(elem.get("name"), props, pending, build)
                pending, props = [], {}
                release(elem)
                shells = 0
                build.host_done()
            else:
                parent = elem.getparent()
                if parent is not None and local(parent.tag) == "ReportItem":
                    text = (elem.text or "").strip()
                    if name != "cve":
                        fields.setdefault(_SCORE_FIELDS[name], text)
                    elif text:
                        cves.append(text)
    return build.finish()


def _scanner_version(elem: Any, build: Builder) -> None:
    found = _VERSION.search(elem.findtext("plugin_output") or "")
    if found:
        build.report.scanner_version = found.group(1)


def _scores(f: dict[str, str]) -> tuple[Score, ...]:
    """The item's scores (none when `f` is empty), merged; the same texts repeat across hosts, so each distinct set
    is computed once."""
    key = (f.get("v2"), f.get("s2"), f.get("v3"), f.get("s3"), f.get("v4"), f.get("s4"))
    scores = _SCORES.get(key)
    if scores is None:
        v2, s2, v3, s3, v4, s4 = key
        scores = merge_scores(
            (best_of(v2, s2, "2.0"), best_of(v3, s3, "3.x", "3.0"), best_of(v4, s4, "4.0"))
        )
        if len(_SCORES) >= _SCORES_LIMIT:
            _SCORES.clear()
        _SCORES[key] = scores
    return scores


_SCORES: dict[tuple[str | None, ...], tuple[Score, ...]] = {}
_SCORES_LIMIT = 65536


def _host(name: str | None, props: dict[str, str], items: list[Row], build: Builder) -> None:
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
    build.add_many(host, items)
