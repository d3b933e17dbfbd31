"""What every parser needs: hosts, ports, CVE lists, and a finding store that merges."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Protocol

from ..errors import ReportError
from ..model import Finding, Host, Report, Score
from ..scores import merge_scores
from ..source import Source
from ..times import earliest, latest

# Every IPv4 or IPv6 address is written with these characters only.
_IP_CHARS = re.compile(r"[0-9A-Fa-f:.]+\Z")
CVE_RE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
# A report with more distinct findings than this is refused rather than exhausting memory.
MAX_FINDINGS = 5_000_000
MAX_HOSTS = 1_000_000


def normal_ip(text: str | None) -> str | None:
    """The canonical form of an IP address, or None when `text` is not one."""
    if not text:
        return None
    candidate = text.strip().strip("[]")
    if "%" in candidate:
        candidate = candidate.split("%", 1)[0]
    if not _IP_CHARS.match(candidate):  # a host name: no exception to raise and catch
        return None
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def fmt_port(port: str | None, protocol: str | None) -> str:
    """ "443/tcp"; a finding not tied to a port is "general/<protocol>" (OpenVAS's spelling)."""
    proto = (protocol or "tcp").strip().lower() or "tcp"
    value = (port or "").strip()
    if not value:
        return f"general/{proto}"
    return f"{value}/{proto}"


def cves_in(values: Iterable[str | None]) -> tuple[str, ...]:
    """Every CVE id in the given texts, upper-cased, first-seen order, no duplicates."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            for match in CVE_RE.findall(value):
                seen.setdefault(match.upper(), None)
    return tuple(seen)


class Sink(Protocol):
    """Where a streaming parse delivers findings (see `parse_report(..., sink=)`)."""

    def findings(self, batch: list[Finding], merge: bool) -> None:
        """A batch of findings; `merge`: they may repeat (host, port, check) of earlier ones."""

    def progress(self, bytes_read: int, findings: int) -> None:
        """Called now and then while reading."""


# One finding as a parser hands it to `Builder.add_many`: (port, check, title, CVEs, scores),
# the scores as `merge_scores` gives them (one per CVSS version, decisive first).
Row = tuple[str, str, str, tuple[str, ...], tuple[Score, ...]]

# Findings handed to a sink at once (parsers flush at host boundaries past this many).
SINK_BATCH = 2000
PROGRESS_EVERY = 1000


class Builder:
    """Collects one report's hosts and findings while a parser streams through it.

    Findings with the same (host, port, check) are merged: CVEs are united and one score
    per CVSS version is kept. Strings that repeat across hosts (titles, check ids) are
    interned so a report with hundreds of thousands of findings stays small in memory.

    With a sink (`source.sink`), findings leave memory at each host boundary the parser
    marks (`host_done`), so memory stays flat whatever the number of findings; findings of
    a host that shows up again later are delivered with `merge=True`.
    """

    def __init__(self, source: Source, fmt: str, naive_tz: tzinfo) -> None:
        self.source = source
        self.report = Report(path=source.name, format=fmt)
        self.naive_tz = naive_tz
        self.sink: Sink | None = source.sink
        self._flushed_hosts: set[str] = set()
        self._late: dict[tuple[str, str, str], Finding] = {}
        self._emitted = 0
        self._adds = 0
        self._strings: dict[str, str] = {}
        self._findings: dict[tuple[str, str, str], Finding] = {}
        self._aliases: dict[str, str] = {}
        self._host_cache: dict[tuple[str | None, ...], Host] = {}

    def intern(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def host(self, address: str | None, *names: str | None) -> Host:
        """The host with this address (or, without one, its first name)."""
        # Every result of a host repeats its address: skip the address parsing then.
        cache_key = (address, *names)
        cached = self._host_cache.get(cache_key)
        if cached is not None:
            return cached
        host = self._host(address, names)
        if len(self._host_cache) < 200_000:
            self._host_cache[cache_key] = host
        return host

    def _host(self, address: str | None, names: tuple[str | None, ...]) -> Host:
        ip: str | None = None
        clean: list[str] = []
        for candidate in (address, *names):
            text = (candidate or "").strip().rstrip(".").lower()
            if not text:
                continue
            as_ip = normal_ip(text)
            if as_ip is not None:
                ip = ip or as_ip
            elif text not in clean:
                clean.append(text)
        key = ip or (clean[0] if clean else "")
        if not key:
            raise ReportError.of("host_unnamed", self.report.path)
        key = self._aliases.get(key, key)
        host = self.report.hosts.get(key)
        if host is None:
            if len(self.report.hosts) >= MAX_HOSTS:
                raise ReportError.of("too_many_hosts", self.report.path, limit=MAX_HOSTS)
            host = Host(key=self.intern(key), ip=ip)
            self.report.hosts[key] = host
        for name in clean:
            if name not in host.names:
                host.names.add(self.intern(name))
            if ip is not None:
                self._aliases.setdefault(name, key)
        return host

    def times(self, host: Host | None, started: datetime | None, finished: datetime | None) -> None:
        if host is not None:
            host.started = earliest(host.started, started)
            host.finished = latest(host.finished, finished)
        report = self.report
        report.started = earliest(report.started, started)
        report.finished = latest(report.finished, finished)

    def add(
        self,
        host: Host,
        port: str,
        check: str,
        title: str,
        cves: Iterable[str] = (),
        scores: Iterable[Score | None] = (),
    ) -> None:
        """One finding of `host` (see `add_many`)."""
        merged = merge_scores(tuple(scores)) if scores else ()
        self.add_many(host, ((port, check, title, tuple(cves) if cves else (), merged),))

    def add_many(self, host: Host, rows: Iterable[Row]) -> None:
        """Findings of `host`, each (port, check, title, CVEs, scores). A finding already
        read for the same (host, port, check) is merged: CVEs united, one score per version.

        This is the hot loop of every parser (hundreds of thousands of findings in a large
        report): what it uses is bound to local names once per call."""
        strings = self._strings
        share = strings.setdefault
        hkey = host.key
        # A host seen again after its findings went to the sink: merged by the sink.
        store = self._late if hkey in self._flushed_hosts else self._findings
        sink = self.sink
        room = MAX_FINDINGS - (self._emitted + len(self._findings) + len(self._late))
        adds = self._adds
        # Interning saves memory only while findings are held: not when they leave for a sink
        # a host or two later.
        held = sink is None
        for port, check, title, cves, scores in rows:
            adds += 1
            if sink is not None and not adds % PROGRESS_EVERY:
                sink.progress(self.bytes_read, self._emitted + len(self._findings))
            key = (hkey, share(port, port), share(check, check)) if held else (hkey, port, check)
            found = store.get(key)
            if found is None:
                if room <= 0:
                    self._adds = adds
                    raise ReportError.of("too_many_findings", self.report.path, limit=MAX_FINDINGS)
                room -= 1
                name = title.strip() or check
                store[key] = Finding(
                    hkey,
                    key[1],
                    key[2],
                    share(name, name) if held else name,
                    self._cves(cves) if cves else (),
                    scores,
                )
                continue
            if cves and set(cves) - set(found.cves):
                found.cves = self._cves(found.cves + cves)
            if scores:
                found.scores = merge_scores(found.scores, scores)
        self._adds = adds

    def _cves(self, cves: tuple[str, ...]) -> tuple[str, ...]:
        share = self._strings.setdefault
        return tuple([share(c, c) for c in dict.fromkeys(cves)])

    def note(self, text: str) -> None:
        if text not in self.report.notes:
            self.report.notes.append(text)

    @property
    def bytes_read(self) -> int:
        return self.source.bytes_read

    def host_done(self) -> None:
        """A safe point: every finding of the hosts read so far is complete."""
        if self.sink is not None and len(self._findings) >= SINK_BATCH:
            self._flush()

    def _flush(self) -> None:
        batch = list(self._findings.values())
        self._findings = {}
        if len(self._strings) > 200_000:
            self._strings = {}
        self._count(batch)
        self._flushed_hosts.update(f.host for f in batch)
        self._emitted += len(batch)
        assert self.sink is not None
        self.sink.findings(batch, False)
        self.sink.progress(self.bytes_read, self._emitted)

    def _count(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            if f.scores:
                self.report.scored += 1
                if not f.has_v2:
                    self.report.without_v2 += 1

    def finish(self) -> Report:
        if self.sink is not None:
            if self._findings:
                self._flush()
            if self._late:
                late = list(self._late.values())
                self._count(late)  # (a merged finding may be counted twice: a flag only)
                self._emitted += len(late)
                self.sink.findings(late, True)
            self.report.streamed = self._emitted
            self.report.findings = []
        else:
            self.report.findings = list(self._findings.values())
            self._count(self.report.findings)
        self._findings = {}
        self._late = {}
        self._strings = {}
        self._host_cache = {}
        return self.report
