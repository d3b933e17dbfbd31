"""Generate a realistic large Nessus v2 file: many hosts, many distinct findings per host.

    .venv/bin/python bench/scans/realistic.py --size-mb 200 [--out bench/out/real-200mb.nessus]

Unlike generate.py (few plugins, big plugin outputs), this is the shape of an ISP's full-range
scan: thousands of hosts, each with host properties (IP, FQDN, times) and 20-120 findings
drawn from a pool of 6,000 plugins (about 25 % with CVEs and CVSS v2/v3/v4 vectors, the rest
informational), descriptions and plugin outputs of realistic, mostly short, length.
Deterministic for a given seed. Files go to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent.parent / "out"
WORDS = [
    "remote",
    "host",
    "server",
    "version",
    "service",
    "vulnerable",
    "update",
    "patch",
    "security",
    "allows",
    "attacker",
    "request",
    "response",
    "certificate",
    "cipher",
    "protocol",
    "configuration",
    "denial",
    "information",
    "disclosure",
    "authentication",
    "buffer",
    "overflow",
    "injection",
    "cross",
    "site",
    "scripting",
    "plugin",
    "detected",
    "installed",
    "package",
    "kernel",
    "openssl",
    "apache",
    "nginx",
    "bind",
    "postfix",
    "dovecot",
    "openssh",
    "radius",
    "router",
    "firmware",
]
PORTS = [
    ("0", "tcp"),
    ("22", "tcp"),
    ("25", "tcp"),
    ("53", "udp"),
    ("80", "tcp"),
    ("110", "tcp"),
    ("143", "tcp"),
    ("443", "tcp"),
    ("587", "tcp"),
    ("1812", "udp"),
    ("3306", "tcp"),
    ("8080", "tcp"),
    ("0", "icmp"),
]
V2 = [
    "AV:N/AC:L/Au:N/C:P/I:N/A:N",
    "AV:N/AC:M/Au:N/C:P/I:P/A:P",
    "AV:N/AC:L/Au:N/C:C/I:C/A:C",
    "AV:L/AC:L/Au:N/C:N/I:N/A:N",
    "AV:N/AC:H/Au:N/C:P/I:N/A:N",
    "AV:N/AC:L/Au:S/C:P/I:P/A:N",
]
V3 = [
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:N",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
]
V4 = ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _pool(rng: random.Random, size: int = 6000) -> list[str]:
    """Each plugin's ReportItem body, pre-rendered (all but plugin_output)."""
    plugins = []
    for i in range(size):
        pid = 10000 + i * 7
        port, proto = rng.choice(PORTS)
        name = escape(f"{_words(rng, 4).title()} ({pid})")
        scored = rng.random() < 0.25
        body = [
            f'<ReportItem port="{port}" svc_name="general" protocol="{proto}" '
            f'severity="{2 if scored else 0}" pluginID="{pid}" pluginName="{name}" '
            f'pluginFamily="General">\n'
        ]
        if scored:
            for _ in range(rng.randint(1, 3)):
                body.append(
                    f"<cve>CVE-{rng.randint(2014, 2025)}-{rng.randint(1000, 49999)}</cve>\n"
                )
            if rng.random() < 0.8:
                body.append(f"<cvss_vector>CVSS2#{rng.choice(V2)}</cvss_vector>\n")
            if rng.random() < 0.9:
                body.append(f"<cvss3_vector>{rng.choice(V3)}</cvss3_vector>\n")
            if rng.random() < 0.2:
                body.append(f"<cvss4_vector>{rng.choice(V4)}</cvss4_vector>\n")
        body.append(f"<description>{_words(rng, rng.randint(15, 80))}</description>\n")
        body.append(f"<fname>p{pid}.nasl</fname>\n<plugin_name>{name}</plugin_name>\n")
        body.append(f"<risk_factor>{'Medium' if scored else 'None'}</risk_factor>\n")
        body.append(f"<solution>{_words(rng, rng.randint(3, 20))}</solution>\n")
        body.append(f"<synopsis>{_words(rng, 10)}</synopsis>\n")
        plugins.append("".join(body))
    return plugins


def generate(path: Path, size: int, seed: int = 20261203) -> dict[str, int]:
    rng = random.Random(seed)
    pool = _pool(rng)
    outputs = [_words(rng, n) for n in (0, 5, 10, 20, 40, 80, 200, 600)]
    hosts = items = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>Advanced '
            'Scan</policyName></Policy>\n<Report name="full range" '
            'xmlns:cm="http://www.nessus.org/cm">\n'
        )
        while f.tell() < size:
            hosts += 1
            ip = f"10.{(hosts >> 16) & 255}.{(hosts >> 8) & 255}.{hosts & 255 or 1}"
            start = 1795000000 + hosts * 3
            f.write(
                f'<ReportHost name="{ip}"><HostProperties>\n'
                f'<tag name="HOST_END_TIMESTAMP">{start + 600}</tag>\n'
                f'<tag name="host-ip">{ip}</tag>\n'
                f'<tag name="host-fqdn">h{hosts}.isp.example.jp</tag>\n'
                f'<tag name="operating-system">Linux Kernel 5.15</tag>\n'
                f'<tag name="HOST_START_TIMESTAMP">{start}</tag>\n</HostProperties>\n'
            )
            for body in rng.sample(pool, rng.randint(20, 120)):
                items += 1
                f.write(body)
                f.write(f"<plugin_output>{rng.choice(outputs)}</plugin_output>\n</ReportItem>\n")
            f.write("</ReportHost>\n")
        f.write("</Report>\n</NessusClientData_v2>\n")
    return {"hosts": hosts, "items": items}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = args.out or OUT / f"real-{args.size_mb}mb.nessus"
    info = generate(path, args.size_mb * 1024 * 1024, args.seed)
    print(
        f"{path}: {path.stat().st_size / 1e6:.0f} MB, {info['hosts']} hosts, {info['items']} items"
    )


if __name__ == "__main__":
    main()
