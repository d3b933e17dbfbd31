"""Read one report in a child process under CPU and memory caps, writing what it finds as
JSON lines on stdout (no Django, no database: the parent writes the rows).

    python -m ssmark.scans.worker PATH --name NAME --cpu 60 --memory-mb 300 --max-record N

Lines (a one-letter tag and a space, then a JSON value, except T):
    P [bytes_read, findings]          progress
    T host<TAB>port<TAB>check<TAB>title<TAB>cves<TAB>base<TAB>version<TAB>vector<TAB>band
      <TAB>has_v2<TAB>rank            a finding, in PostgreSQL COPY text format (escaped; \\N
                                      for no score; band from --fail-at/--statement-at)
    M [host, port, check, title, cves, base, version, vector, has_v2]   a finding that may
                                      repeat the key of an earlier one (JSON)
    H [key, ip, names, finished]      a host (after the findings)
    D {format, scanner, ...}          done: facts about the report
    E {code, params, problem}         refused (ReportError or a cap)
Exit status 0 after D or E; a cap the kernel enforces (SIGXCPU, SIGKILL) ends it otherwise.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Sequence
from typing import Any, BinaryIO

# Field lengths of the rows the parent writes (longer texts are cut, never refused).
_CUT = {"host": 255, "port": 40, "check": 300, "title": 500, "cves": 1000, "vector": 200}


def _limits(cpu_seconds: int, memory_mb: int) -> None:
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    if memory_mb > 0:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


class _Writer:
    """The sink: findings go out as lines as soon as the parser hands them over."""

    def __init__(self, out: BinaryIO, fail_at: float, statement_at: float) -> None:
        self.out = out
        self._last = 0.0
        self.fail_at = fail_at
        self.statement_at = statement_at

    def line(self, tag: str, value: Any) -> None:
        self.out.write(tag.encode() + b" " + json.dumps(value, ensure_ascii=False).encode() + b"\n")

    def findings(self, batch: list[Any], merge: bool) -> None:
        if not merge:
            self._copy_rows(batch)
            return
        for f in batch:
            score = f.decisive
            row = [
                f.host[: _CUT["host"]],
                f.port[: _CUT["port"]],
                f.check[: _CUT["check"]],
                f.title[: _CUT["title"]],
                _cves(f),
                None if score is None else score.base,
                "" if score is None or score.version is None else score.version,
                "" if score is None or score.vector is None else score.vector[: _CUT["vector"]],
                f.has_v2,
            ]
            self.line("M", row)

    def _copy_rows(self, batch: list[Any]) -> None:
        """Findings as COPY text rows: the parent hands them to PostgreSQL unparsed."""
        fail_at, statement_at = self.fail_at, self.statement_at
        lines = []
        for f in batch:
            score = f.decisive
            cves = _cves(f)
            if score is None:
                base, version, vector, band, rank = "\\N", "", "", "none", "-1.0"
            else:
                b = score.base
                base = rank = repr(b)
                version = score.version or ""
                vector = (score.vector or "")[: _CUT["vector"]]
                band = "fail" if b >= fail_at else "statement" if b >= statement_at else "low"
            lines.append(
                "T "
                + "\t".join(
                    (
                        _esc(f.host[: _CUT["host"]]),
                        _esc(f.port[: _CUT["port"]]),
                        _esc(f.check[: _CUT["check"]]),
                        _esc(f.title[: _CUT["title"]]),
                        _esc(cves),
                        base,
                        _esc(version),
                        _esc(vector),
                        band,
                        "t" if f.has_v2 else "f",
                        rank,
                    )
                )
                + "\n"
            )
        self.out.write("".join(lines).encode())

    def progress(self, bytes_read: int, findings: int) -> None:
        now = time.monotonic()
        if now - self._last >= 0.25:
            self._last = now
            self.line("P", [bytes_read, findings])
            self.out.flush()


def _cves(f: Any) -> str:
    """The finding's CVEs, space-separated, cut at a whole CVE to fit the column."""
    cves = " ".join(f.cves)
    if len(cves) > _CUT["cves"]:
        cves = cves[: _CUT["cves"]].rsplit(" ", 1)[0]
    return cves


def _esc(text: str) -> str:
    """A value in COPY text format (backslash, tab, newline, carriage return escaped)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def unescape(text: str) -> str:
    """The inverse of _esc (for databases without COPY)."""
    if "\\" not in text:
        return text
    out = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def run(argv: Sequence[str], out: BinaryIO) -> int:
    parser = argparse.ArgumentParser(prog="ssmark.scans.worker")
    parser.add_argument("path")
    parser.add_argument("--name", default="")
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--max-record", type=int, default=0)
    parser.add_argument("--max-bytes", type=int, default=0)
    parser.add_argument("--fail-at", type=float, required=True)
    parser.add_argument("--statement-at", type=float, required=True)
    args = parser.parse_args(argv)
    _limits(args.cpu, args.memory_mb)
    writer = _Writer(out, args.fail_at, args.statement_at)
    try:
        from . import ReportError, parse_report, tune_gc_for_parsing
        from .source import DEFAULT_MAX_BYTES, DEFAULT_MAX_RECORD

        tune_gc_for_parsing()
        try:
            report = parse_report(
                args.path,
                name=args.name or args.path,
                max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
                max_record=args.max_record or DEFAULT_MAX_RECORD,
                sink=writer,
            )
        except ReportError as exc:
            writer.line("E", {"code": exc.code, "params": exc.params, "problem": exc.problem})
            return 0
        for host in report.hosts.values():
            finished = host.finished or report.finished
            writer.line(
                "H",
                [
                    host.key[: _CUT["host"]],
                    host.ip or "",
                    " ".join(sorted(host.names))[:1000],
                    finished.isoformat() if finished else None,
                ],
            )
        writer.line(
            "D",
            {
                "format": report.format,
                "scanner": report.scanner,
                "scanner_version": report.scanner_version,
                "started": report.started.isoformat() if report.started else None,
                "finished": report.finished.isoformat() if report.finished else None,
                "notes": list(report.notes),
                "findings": report.finding_count,
                "hosts": len(report.hosts),
                "without_v2": report.without_v2,
            },
        )
        return 0
    except MemoryError:
        writer.line("E", {"code": "memory_limit", "params": {"limit": args.memory_mb}})
        return 0
    finally:
        out.flush()


def main() -> None:  # pragma: no cover - run as a child process
    sys.exit(run(sys.argv[1:], sys.stdout.buffer))


if __name__ == "__main__":  # pragma: no cover
    main()
