"""Nmap XML with the `vulners` NSE script (`nmap -sV --script vulners -oX`).

Fields relied on (Nmap's nmap.dtd and the vulners.nse @xmloutput): `nmaprun@scanner
@version@start`, `runstats/finished@time`; `host` with `status@state`, `address@addr
@addrtype` (ipv4/ipv6; mac is ignored), `hostnames/hostname@name`, `@starttime
@endtime`; `ports/port@protocol@portid/script@id="vulners"` whose tables (one per CPE)
hold entries `elem@key` = id, cvss, type, is_exploit. When only the script's text
`@output` is present, its "<id> <cvss> <url>" lines are read instead.
The vulners script gives a score without a vector or version: findings carry an
unversioned score. Entries marked as exploits repeat a vulnerability's score and are
not findings of their own.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from ..model import Report
from ..scores import score_only
from ..source import Source
from ..times import from_epoch
from ..xmlsafe import iterparse, local, release
from .common import CVE_RE, Builder, fmt_port

_OUTPUT_LINE = re.compile(r"^\s*(\S+)\s+([0-9]+(?:\.[0-9]+)?)\s+(https?://\S+)(.*)$")


def parse(source: Source, naive_tz: tzinfo) -> Report:
    build = Builder(source, "nmap-vulners", naive_tz)
    build.report.scanner = "Nmap"
    saw_vulners = False
    with source.open(buffered=False) as stream:
        for event, elem in iterparse(
            stream, ("nmaprun", "host", "finished"), events=("start", "end")
        ):
            name = local(elem.tag)
            if event == "start":
                if name == "nmaprun":
                    build.report.scanner = (elem.get("scanner") or "nmap").capitalize()
                    build.report.scanner_version = elem.get("version")
                    build.times(None, from_epoch(elem.get("start")), None)
                continue
            if name == "host":
                saw_vulners |= _host(elem, build)
                release(elem)
            elif name == "finished":
                build.times(None, None, from_epoch(elem.get("time")))
    if not saw_vulners:
        build.note("no vulners script output: this nmap run did not look for vulnerabilities")
    return build.finish()


def _host(elem: Any, build: Builder) -> bool:
    status = elem.find("{*}status")
    if status is not None and (status.get("state") or "up") != "up":
        return False
    address = None
    for addr in elem.iterfind("{*}address"):
        if (addr.get("addrtype") or "ipv4") in ("ipv4", "ipv6"):
            address = addr.get("addr")
            break
    names = [h.get("name") for h in elem.iterfind("{*}hostnames/{*}hostname")]
    if not address and not any(names):
        return False
    host = build.host(address, *names)
    build.times(host, from_epoch(elem.get("starttime")), from_epoch(elem.get("endtime")))
    saw = False
    for port in elem.iterfind("{*}ports/{*}port"):
        where = fmt_port(port.get("portid"), port.get("protocol"))
        for script in port.iterfind("{*}script"):
            if (script.get("id") or "") != "vulners":
                continue
            saw = True
            for product, entry in _entries(script):
                _add(build, host, where, product, entry)
    return saw


def _entries(script: Any) -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    for product_table in script.iterfind("{*}table"):
        product = product_table.get("key") or ""
        for table in product_table.iterfind("{*}table"):
            entry = {e.get("key") or "": (e.text or "").strip() for e in table.iterfind("{*}elem")}
            out.append((product, entry))
    if out:
        return out
    product = ""
    for line in (script.get("output") or "").splitlines():
        match = _OUTPUT_LINE.match(line)
        if match:
            out.append(
                (
                    product,
                    {
                        "id": match.group(1),
                        "cvss": match.group(2),
                        "is_exploit": "true" if "EXPLOIT" in match.group(4) else "",
                    },
                )
            )
        elif line.strip().endswith(":"):
            product = line.strip()[:-1].strip()
    return out


def _add(build: Builder, host: Any, port: str, product: str, entry: dict[str, str]) -> None:
    ident = entry.get("id", "")
    if not ident or entry.get("is_exploit", "").lower() == "true":
        return
    cves = tuple(c.upper() for c in CVE_RE.findall(ident))
    # "PRION:CVE-2018-15919" and "CVE-2018-15919" are one vulnerability on this port.
    check = cves[0] if cves else ident
    title = f"{ident} ({product})" if product else ident
    build.add(host, port, check, title, cves, [score_only(entry.get("cvss"), None)])
