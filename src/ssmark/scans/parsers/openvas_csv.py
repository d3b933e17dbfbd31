"""Greenbone / OpenVAS CSV export (report format "CSV Results").

Columns relied on (Greenbone's CSV Results report format): `IP`, `Hostname`, `Port`,
`Port Protocol`, `CVSS`, `NVT Name`, `NVT OID`, `CVEs`, `Timestamp`. The export gives the
result's CVSS score without a vector and without saying its CVSS version (GVM 21.04 and
later rate with v3.x where the VT has it, else v2): such scores are unversioned.
`Severity` is the scanner's label and is ignored.
"""

from __future__ import annotations

from datetime import tzinfo

from ..model import Report
from ..scores import best_of
from ..source import Source
from ..times import parse_time
from .common import Builder, cves_in, fmt_port
from .csvutil import pick, rows


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "openvas-csv", naive_tz)
    build.report.scanner = "Greenbone OpenVAS"
    for row in rows(source):
        address = pick(row, "ip", "host")
        hostname = pick(row, "hostname")
        oid = pick(row, "nvt oid", "oid")
        if not (address or hostname) or not oid:
            continue
        host = build.host(address or hostname, hostname)
        port_cell = pick(row, "port")
        proto = pick(row, "port protocol", "protocol")
        port = port_cell if "/" in port_cell else fmt_port(port_cell, proto)
        when = parse_time(pick(row, "timestamp"), naive_tz)
        build.times(host, when, when)
        vector = pick(row, "cvss base vector", "cvss vector", "cvss_base_vector")
        score = best_of(vector, pick(row, "cvss", "cvss score"), None)
        build.add(
            host,
            port,
            oid,
            pick(row, "nvt name", "name"),
            cves_in([pick(row, "cves", "cve")]),
            [score],
        )
    return build.finish()
