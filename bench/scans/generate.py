"""Generate large, realistic Nessus v2 and OpenVAS XML reports for the benchmark.

    .venv/bin/python bench/scans/generate.py --format nessus --size-mb 1024
    .venv/bin/python bench/scans/generate.py --format openvas --size-mb 1024 --hosts 4000

Files go to bench/out/ (git-ignored). The content mimics real scans: a policy header,
thousands of hosts, each with host properties and dozens of findings drawn from a pool
of real plugin/NVT shapes (most informational, some with CVEs and CVSS v2/v3/v4
vectors), with plugin output of varying length.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent.parent / "out"

# (id, name, port, proto, cves, v2 vector, v3 vector, v4 vector)
Plugin = tuple[str, str, str, str, list[str], str | None, str | None, str | None]
PLUGINS: list[Plugin] = [
    ("19506", "Nessus Scan Information", "0", "tcp", [], None, None, None),
    ("11219", "Nessus SYN scanner", "22", "tcp", [], None, None, None),
    ("10287", "Traceroute Information", "0", "udp", [], None, None, None),
    ("22964", "Service Detection", "443", "tcp", [], None, None, None),
    ("45590", "Common Platform Enumeration (CPE)", "0", "tcp", [], None, None, None),
    ("54615", "Device Type", "0", "tcp", [], None, None, None),
    ("11936", "OS Identification", "0", "tcp", [], None, None, None),
    ("10107", "HTTP Server Type and Version", "80", "tcp", [], None, None, None),
    ("84502", "HSTS Missing From HTTPS Server", "443", "tcp", [], None, None, None),
    (
        "10114",
        "ICMP Timestamp Request Remote Date Disclosure",
        "0",
        "icmp",
        ["CVE-1999-0524"],
        "AV:L/AC:L/Au:N/C:N/I:N/A:N",
        "CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N",
        None,
    ),
    (
        "42873",
        "SSL Medium Strength Cipher Suites Supported (SWEET32)",
        "443",
        "tcp",
        ["CVE-2016-2183"],
        "AV:N/AC:L/Au:N/C:P/I:N/A:N",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
        None,
    ),
    (
        "187315",
        "SSH Terrapin Prefix Truncation Weakness (CVE-2023-48795)",
        "22",
        "tcp",
        ["CVE-2023-48795"],
        None,
        "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N",
        "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N",
    ),
    (
        "200162",
        "PHP 8.2.x < 8.2.20 Multiple Vulnerabilities",
        "443",
        "tcp",
        ["CVE-2024-4577", "CVE-2024-5458", "CVE-2024-5585"],
        "AV:N/AC:L/Au:N/C:C/I:C/A:C",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    ),
    (
        "12217",
        "DNS Server Cache Snooping Remote Information Disclosure",
        "53",
        "udp",
        [],
        "AV:N/AC:L/Au:N/C:P/I:N/A:N",
        None,
        None,
    ),
    (
        "57582",
        "SSL Self-Signed Certificate",
        "443",
        "tcp",
        [],
        "AV:N/AC:M/Au:N/C:P/I:P/A:N",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N",
        None,
    ),
    (
        "11213",
        "HTTP TRACE / TRACK Methods Allowed",
        "80",
        "tcp",
        ["CVE-2003-1567", "CVE-2004-2320", "CVE-2010-0386"],
        "AV:N/AC:M/Au:N/C:P/I:N/A:N",
        "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N",
        None,
    ),
    (
        "97833",
        "MS17-010: Security Update for Microsoft Windows SMB Server",
        "445",
        "tcp",
        ["CVE-2017-0143", "CVE-2017-0144", "CVE-2017-0145", "CVE-2017-0146"],
        "AV:N/AC:M/Au:N/C:C/I:C/A:C",
        "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
        None,
    ),
    (
        "70658",
        "SSH Server CBC Mode Ciphers Enabled",
        "22",
        "tcp",
        ["CVE-2008-5161"],
        "AV:N/AC:H/Au:N/C:P/I:N/A:N",
        "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N",
        None,
    ),
]
INFO_WEIGHT = 3  # informational items are the bulk of a real report
WORDS = [
    "remote",
    "host",
    "service",
    "version",
    "detected",
    "plugin",
    "output",
    "protocol",
    "cipher",
    "certificate",
    "server",
    "request",
    "response",
    "banner",
    "configuration",
    "update",
    "installed",
    "fixed",
    "package",
    "kernel",
    "openssl",
    "apache",
    "nginx",
    "bind",
    "postfix",
    "dovecot",
    "radius",
    "snmp",
    "ssh",
    "tls",
]


def _text(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n_words))


def _ip(i: int) -> str:
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255 or 1}"


def _nessus_item(rng: random.Random, plugin: Plugin, out: list[str]) -> None:
    pid, name, port, proto, cves, v2, v3, v4 = plugin
    out.append(
        f'<ReportItem port="{port}" svc_name="general" protocol="{proto}" severity="'
        f'{2 if v2 or v3 else 0}" pluginID="{pid}" pluginName="{escape(name)}" '
        f'pluginFamily="General">\n'
    )
    for cve in cves:
        out.append(f"<cve>{cve}</cve>\n")
    if v3:
        out.append(f"<cvss3_vector>{v3}</cvss3_vector>\n")
    if v2:
        out.append(f"<cvss_vector>CVSS2#{v2}</cvss_vector>\n")
    if v4:
        out.append(f"<cvss4_vector>{v4}</cvss4_vector>\n")
    out.append(f"<description>{_text(rng, rng.randint(30, 120))}</description>\n")
    out.append(f"<fname>plugin_{pid}.nasl</fname>\n<plugin_name>{escape(name)}</plugin_name>\n")
    out.append("<risk_factor>None</risk_factor>\n<solution>n/a</solution>\n")
    out.append(f"<synopsis>{_text(rng, 12)}</synopsis>\n")
    out.append(f"<plugin_output>{_text(rng, rng.randint(20, 600))}</plugin_output>\n")
    out.append("</ReportItem>\n")


def nessus(path: Path, size: int, hosts: int, rng: random.Random) -> None:
    pool = [p for p in PLUGINS for _ in range(INFO_WEIGHT if p[5] is None and p[6] is None else 1)]
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>Basic Network '
            "Scan</policyName><Preferences><ServerPreferences><preference><name>plugin_set"
            f"</name><value>{';'.join(str(i) for i in range(100000, 160000))}</value>"
            "</preference></ServerPreferences></Preferences></Policy>\n"
            '<Report name="bench" xmlns:cm="http://www.nessus.org/cm">\n'
        )
        per_host = max(1, size // hosts)
        i = 0
        while f.tell() < size:
            i += 1
            start = 1715302805 + i * 7
            f.write(
                f'<ReportHost name="{_ip(i)}"><HostProperties>\n'
                f'<tag name="HOST_END_TIMESTAMP">{start + 900}</tag>\n'
                f'<tag name="host-ip">{_ip(i)}</tag>\n'
                f'<tag name="host-fqdn">h{i}.bench.example.jp</tag>\n'
                f'<tag name="HOST_START_TIMESTAMP">{start}</tag>\n</HostProperties>\n'
            )
            written = 0
            while written < per_host:
                out: list[str] = []
                _nessus_item(rng, rng.choice(pool), out)
                chunk = "".join(out)
                f.write(chunk)
                written += len(chunk)
            f.write("</ReportHost>\n")
        f.write("</Report>\n</NessusClientData_v2>\n")


def _openvas_result(rng: random.Random, i: int, plugin: Plugin, out: list[str]) -> None:
    pid, name, port, proto, cves, v2, v3, _v4 = plugin
    where = "general/" + proto if port == "0" else f"{port}/{proto}"
    vector = v3 or v2 or ""
    score = "0.0"
    sev = ""
    if vector:
        score = "7.5" if "C:C" in vector or "C:H" in vector else "5.0"
        kind = "cvss_base_v3" if vector.startswith("CVSS:3") else "cvss_base_v2"
        sev = (
            f'<severities score="{score}"><severity type="{kind}"><origin>NVD</origin>'
            f"<score>{score}</score><value>{vector}</value></severity></severities>"
        )
    refs = "".join(f'<ref type="cve" id="{c}"/>' for c in cves)
    out.append(
        f'<result id="r{i}-{pid}"><name>{escape(name)}</name><owner><name>admin</name></owner>'
        f"<creation_time>2024-05-20T16:55:31+09:00</creation_time>"
        f'<host>{_ip(i)}<asset asset_id="a{i}"/><hostname>h{i}.bench.example.jp</hostname></host>'
        f'<port>{where}</port><nvt oid="1.3.6.1.4.1.25623.1.0.{pid}"><type>nvt</type>'
        f"<name>{escape(name)}</name><family>General</family><cvss_base>{score}</cvss_base>{sev}"
        f"<tags>cvss_base_vector={vector}|summary={_text(rng, 20)}|insight={_text(rng, 40)}"
        f"|solution_type=VendorFix</tags><refs>{refs}"
        f'<ref type="url" id="https://example.com/{pid}"/></refs></nvt>'
        f"<threat>Medium</threat><severity>{score}</severity><qod><value>80</value><type/></qod>"
        f"<description>{_text(rng, rng.randint(20, 500))}</description></result>\n"
    )


def openvas(path: Path, size: int, hosts: int, rng: random.Random) -> None:
    pool = [p for p in PLUGINS for _ in range(INFO_WEIGHT if p[5] is None and p[6] is None else 1)]
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            '<report id="bench" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" '
            'extension="xml" content_type="text/xml"><owner><name>admin</name></owner>'
            '<report id="bench"><gmp><version>22.6</version></gmp>'
            "<scan_run_status>Done</scan_run_status>"
            "<scan_start>2024-05-20T15:01:38+09:00</scan_start>"
            '<timezone>Asia/Tokyo</timezone><results max="-1" start="1">\n'
        )
        per_host = max(1, size // hosts)
        i = 0
        reserve = hosts * 400  # the host section written after the results
        while f.tell() < size - reserve:
            i += 1
            written = 0
            while written < per_host:
                out: list[str] = []
                _openvas_result(rng, i, rng.choice(pool), out)
                chunk = "".join(out)
                f.write(chunk)
                written += len(chunk)
        f.write("</results>\n")
        for h in range(1, i + 1):
            f.write(
                f'<host><ip>{_ip(h)}</ip><asset asset_id="a{h}"/>'
                "<start>2024-05-20T15:01:49+09:00</start><end>2024-05-20T17:09:40+09:00</end>"
                f"<detail><name>hostname</name><value>h{h}.bench.example.jp</value></detail>"
                "<detail><name>best_os_cpe</name><value>cpe:/o:linux:kernel</value></detail>"
                "</host>\n"
            )
        f.write("<scan_end>2024-05-20T17:09:57+09:00</scan_end></report></report>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=("nessus", "openvas"), default="nessus")
    parser.add_argument("--size-mb", type=int, default=1024, help="target size (default 1024)")
    parser.add_argument("--hosts", type=int, default=4000, help="number of hosts (default 4000)")
    parser.add_argument("--out", type=Path, default=None, help="output file")
    parser.add_argument("--seed", type=int, default=20240531)
    args = parser.parse_args()
    ext = "nessus" if args.format == "nessus" else "xml"
    path = args.out or OUT / f"{args.format}-{args.size_mb}mb.{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    (nessus if args.format == "nessus" else openvas)(
        path, args.size_mb * 1024 * 1024, args.hosts, rng
    )
    print(f"{path}  {path.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
