"""Nessus / Tenable CSV exports, whatever their column layout.

Layouts seen in real exports (Tenable documentation "CSV Vulnerability Export Fields"
and samples):
- Nessus classic: `Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name,...` — one row per
  CVE, `CVSS` is the v2 base score; rows of one plugin on one host/port are one finding.
- Nessus 10.x: `CVSS v2.0 Base Score`, `CVSS v3.0 Base Score`, `CVSS v4.0 Base Score`.
- Tenable Vulnerability Management: `CVSS Base Score`, `CVSS Vector`, `CVSS3 Base Score`,
  `CVSS3 Vector`, `IP Address`, `FQDN`, `Host Start`, `Host End`.
- Tenable Security Center: `Plugin`, `Plugin Name`, `IP Address`, `DNS Name`,
  `CVSS V2 Base Score`, `CVSS V2 Vector`, `CVSS V3 Vector`, `CVE` (comma list), `Last
  Observed`.
- Tenable VM "findings" export (`;`-separated): `asset.display_ipv4_address`,
  `definition.id`, `definition.name`, `definition.cve`, `definition.cvss2.base_vector`,
  `definition.cvss3.base_vector`, `definition.cvss4.base_vector`, `port`, `protocol`,
  `last_seen`.
`Risk`, `Severity` and `Risk Factor` are the scanner's labels and are ignored.
"""

from __future__ import annotations

from datetime import tzinfo

from ..model import Report
from ..scores import best_of
from ..source import Source
from ..times import parse_time
from .common import Builder, cves_in, fmt_port
from .csvutil import pick, rows

PLUGIN = ("plugin id", "plugin", "definition.id", "plugin_id", "pluginid")
NAME = ("name", "plugin name", "definition.name", "plugin_name", "pluginname", "title")
IP = (
    "ip address",
    "asset.display_ipv4_address",
    "ip",
    "host ip",
    "asset.ipv4",
    "ipv4",
    "asset.display_ipv6_address",
    "ipv6",
)
HOST = ("host", "asset.host_name", "asset.name", "hostname")
NAMES = (
    "fqdn",
    "dns name",
    "asset.display_fqdn",
    "host fqdn",
    "netbios name",
    "asset.netbios_name",
)
PORT = ("port",)
PROTOCOL = ("protocol",)
CVE = ("cve", "cves", "definition.cve")
V2_SCORE = (
    "cvss v2.0 base score",
    "cvss v2 base score",
    "cvss base score",
    "definition.cvss2.base_score",
    "cvss2 base score",
    "cvss",
)
V2_VECTOR = (
    "cvss v2.0 vector",
    "cvss v2 vector",
    "cvss vector",
    "definition.cvss2.base_vector",
    "cvss2 vector",
    "cvss v2.0 base vector",
)
V3_SCORE = (
    "cvss v3.0 base score",
    "cvss v3 base score",
    "cvss3 base score",
    "definition.cvss3.base_score",
    "cvss v3.1 base score",
)
V3_VECTOR = (
    "cvss v3.0 vector",
    "cvss v3 vector",
    "cvss3 vector",
    "definition.cvss3.base_vector",
    "cvss v3.1 vector",
    "cvss v3.0 base vector",
)
V4_SCORE = (
    "cvss v4.0 base score",
    "cvss v4 base score",
    "cvss4 base score",
    "definition.cvss4.base_score",
)
V4_VECTOR = (
    "cvss v4.0 vector",
    "cvss v4 vector",
    "cvss4 vector",
    "definition.cvss4.base_vector",
    "cvss v4.0 base vector",
)
STARTED = ("host start", "scan start")
FINISHED = ("host end", "last observed", "last seen", "last_seen", "scan end")


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "nessus-csv", naive_tz)
    build.report.scanner = "Nessus / Tenable"
    lost_decimal = False
    for row in rows(source):
        plugin = pick(row, *PLUGIN)
        address = pick(row, *IP)
        hostname = pick(row, *HOST)
        if not plugin or not (address or hostname):
            continue
        host = build.host(address or hostname, hostname, *(pick(row, n) for n in NAMES))
        port = fmt_port(pick(row, *PORT), pick(row, *PROTOCOL))
        finished = parse_time(pick(row, *FINISHED), naive_tz)
        # Exports with only "Last Observed" still say when the host was scanned.
        started = parse_time(pick(row, *STARTED), naive_tz) or finished
        build.times(host, started, finished)
        if not lost_decimal and _tenths(row):
            lost_decimal = True
            build.note(
                "scores written without their decimal point (75 for 7.5) were read as tenths"
            )
        scores = [
            best_of(pick(row, *V2_VECTOR), pick(row, *V2_SCORE), "2.0"),
            best_of(pick(row, *V3_VECTOR), pick(row, *V3_SCORE), "3.x", "3.0"),
            best_of(pick(row, *V4_VECTOR), pick(row, *V4_SCORE), "4.0"),
        ]
        build.add(host, port, plugin, pick(row, *NAME), cves_in([pick(row, *CVE)]), scores)
    report = build.finish()
    if report.finished is None:
        build.note("the export states no scan times (add Host Start/Host End columns)")
    return report


def _tenths(row: dict[str, str]) -> bool:
    for name in (*V2_SCORE, *V3_SCORE, *V4_SCORE):
        cell = row.get(name, "").strip()
        if cell.isdigit() and 10 < int(cell) <= 100:
            return True
    return False
