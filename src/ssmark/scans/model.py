"""Plain data the parsers produce and the gate consumes (no Django, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from operator import attrgetter

# Order in which CVSS versions decide a finding: the scheme's rule is written for v2,
# then v3.x, then v4; a score whose version the report does not state comes last.
VERSION_RANK = {"2.0": 0, "3.1": 1, "3.0": 2, "3.x": 3, "4.0": 4}
UNVERSIONED_RANK = 9


@dataclass(frozen=True, slots=True)
class Score:
    """One CVSS base score as the report gives it.

    `source` is "vector" when `base` was computed from `vector` with the `cvss` library,
    "score" when the report gave only a number (then `vector` is None).
    `version` is "3.x" for a v3 score whose minor version the report does not give, and
    None when the report states a score without saying which CVSS version at all.
    """

    version: str | None
    base: float
    vector: str | None
    source: str
    # Order among a finding's scores (lowest decides): computed once, read for every finding
    # of a large report.
    rank: tuple[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        order = VERSION_RANK.get(self.version or "", UNVERSIONED_RANK)
        object.__setattr__(self, "rank", (order, 0 if self.source == "vector" else 1))

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "vector": self.vector,
            "base": self.base,
            "source": self.source,
        }


# The key that orders a finding's scores, the decisive first.
by_rank = attrgetter("rank")


@dataclass(slots=True)
class Finding:
    """One (host, port/protocol, scanner check) with everything the report says about it."""

    host: str
    port: str
    check: str
    title: str
    cves: tuple[str, ...] = ()
    scores: tuple[Score, ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.host, self.port, self.check)

    @property
    def decisive(self) -> Score | None:
        """The score that decides: v2, else v3.x, else v4, else an unversioned score."""
        scores = self.scores
        if len(scores) < 2:
            return scores[0] if scores else None
        return min(scores, key=by_rank)

    @property
    def base(self) -> float | None:
        score = self.decisive
        return None if score is None else score.base

    @property
    def has_v2(self) -> bool:
        """Does the report state this finding's CVSS v2 base score (diagnosis condition 1)?"""
        return any(s.version == "2.0" for s in self.scores)

    def to_dict(self) -> dict[str, object]:
        score = self.decisive
        return {
            "host": self.host,
            "port": self.port,
            "check": self.check,
            "title": self.title,
            "cvss": None if score is None else score.to_dict(),
            "cves": list(self.cves),
        }


@dataclass(slots=True)
class Host:
    """A scanned host. `key` is its IP address when the report gives one, else its name."""

    key: str
    ip: str | None = None
    names: set[str] = field(default_factory=set)
    started: datetime | None = None
    finished: datetime | None = None

    @property
    def identifiers(self) -> set[str]:
        ids = {n.lower() for n in self.names}
        ids.add(self.key.lower())
        if self.ip:
            ids.add(self.ip.lower())
        return ids


@dataclass(slots=True)
class Report:
    """One scanner report, read in full."""

    path: str
    format: str
    scanner: str | None = None
    scanner_version: str | None = None
    started: datetime | None = None
    finished: datetime | None = None
    hosts: dict[str, Host] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Set when findings were streamed to a sink rather than kept in `findings`.
    streamed: int = 0
    # Findings with a CVSS score, and those of them without a v2 base score (condition 1).
    scored: int = 0
    without_v2: int = 0

    @property
    def finding_count(self) -> int:
        return len(self.findings) if not self.streamed else self.streamed

    @property
    def scanner_label(self) -> str | None:
        if self.scanner and self.scanner_version:
            return f"{self.scanner} {self.scanner_version}"
        return self.scanner

    def to_dict(self, tz: tzinfo | None = None) -> dict[str, object]:
        """The report's line in the CLI's JSON; times shown in `tz` (default: as read)."""

        def when(value: datetime | None) -> str | None:
            if value is None:
                return None
            return (value.astimezone(tz) if tz is not None else value).isoformat()

        return {
            "path": self.path,
            "format": self.format,
            "scanner": self.scanner_label,
            "started": when(self.started),
            "finished": when(self.finished),
            "hosts": len(self.hosts),
            "findings": self.finding_count,
            "without_v2": self.without_v2,
        }
