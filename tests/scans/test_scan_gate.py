"""The gate: month-edge freshness, superseding re-scans, thresholds, role coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ssmark.scans import (
    Finding,
    Host,
    Report,
    ReportError,
    Score,
    Thresholds,
    earliest_fresh_date,
    evaluate,
    load_roles,
    parse_report,
    parse_roles,
)
from ssmark.scans.times import SCHEME_TZ

TH = Thresholds(fail_at=7.0, statement_at=4.0, max_age_months=3)

FIXTURES = Path(__file__).parent / "fixtures"


def jst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SCHEME_TZ)


def make_report(
    path: str,
    finished: str | None,
    findings: list[tuple[str, str, str, float | None]],
    names: dict[str, set[str]] | None = None,
) -> Report:
    report = Report(
        path=path,
        format="nessus-v2",
        scanner="Nessus",
        started=jst(finished) if finished else None,
        finished=jst(finished) if finished else None,
    )
    for host, port, check, base in findings:
        is_ip = host[0].isdigit()
        report.hosts.setdefault(host, Host(key=host, ip=host if is_ip else None))
        scores = (Score("2.0", base, None, "score"),) if base is not None else ()
        report.findings.append(Finding(host, port, check, f"check {check}", (), scores))
    for host, host_names in (names or {}).items():
        report.hosts.setdefault(host, Host(key=host, ip=host)).names |= host_names
    return report


@pytest.mark.parametrize(
    ("submitted", "earliest"),
    [
        (date(2024, 5, 31), date(2024, 2, 29)),  # leap year: clamp to Feb 29
        (date(2023, 5, 31), date(2023, 2, 28)),
        (date(2024, 5, 30), date(2024, 2, 29)),
        (date(2024, 5, 29), date(2024, 2, 29)),
        (date(2024, 5, 28), date(2024, 2, 28)),
        (date(2024, 3, 31), date(2023, 12, 31)),  # across the year boundary
        (date(2024, 1, 15), date(2023, 10, 15)),
        (date(2024, 7, 31), date(2024, 4, 30)),
        (date(2024, 12, 31), date(2024, 9, 30)),
        (date(2024, 6, 1), date(2024, 3, 1)),
    ],
)
def test_three_calendar_months(submitted: date, earliest: date) -> None:
    assert earliest_fresh_date(submitted, 3) == earliest


@pytest.mark.parametrize(
    ("finished", "fresh"),
    [
        ("2024-02-29T00:00:00", True),  # first day of the window
        ("2024-02-28T23:59:59", False),  # one second too early
        ("2024-05-31T23:59:59", True),  # on the submission date itself
        ("2024-06-01T00:00:00", False),  # after it
        (None, False),  # no end time in the report
    ],
)
def test_freshness_edges(finished: str | None, fresh: bool) -> None:
    verdict = evaluate(
        [make_report("r", finished, [("192.0.2.1", "80/tcp", "1", 2.0)])],
        date(2024, 5, 31),
        thresholds=TH,
    )
    assert verdict.fresh is fresh
    assert verdict.passed is fresh


def test_freshness_is_judged_in_japan_time() -> None:
    report = make_report("r", None, [])
    report.finished = datetime(2024, 2, 28, 15, 30, tzinfo=UTC)  # 2024-02-29 00:30 JST
    assert evaluate([report], date(2024, 5, 31), thresholds=TH).fresh


def test_every_report_must_be_fresh() -> None:
    fresh = make_report("a", "2024-05-01T10:00:00", [])
    stale = make_report("b", "2024-01-01T10:00:00", [])
    verdict = evaluate([fresh, stale], date(2024, 5, 31), thresholds=TH)
    assert not verdict.fresh and not verdict.passed
    assert [s.fresh for s in verdict.reports] == [True, False]
    assert evaluate([], date(2024, 5, 31), thresholds=TH).fresh is False


def test_thresholds() -> None:
    report = make_report(
        "r",
        "2024-05-01T10:00:00",
        [
            ("192.0.2.1", "80/tcp", "a", 7.0),
            ("192.0.2.1", "80/tcp", "b", 6.9),
            ("192.0.2.1", "80/tcp", "c", 4.0),
            ("192.0.2.1", "80/tcp", "d", 3.9),
            ("192.0.2.1", "80/tcp", "e", None),
            ("192.0.2.1", "80/tcp", "f", 10.0),
        ],
    )
    verdict = evaluate([report], date(2024, 5, 31), thresholds=TH)
    assert [f.check for f in verdict.blocking] == ["f", "a"]
    assert [f.check for f in verdict.needs_statement] == ["b", "c"]
    assert not verdict.passed


def test_statements_alone_do_not_fail() -> None:
    report = make_report("r", "2024-05-01T10:00:00", [("192.0.2.1", "80/tcp", "b", 6.9)])
    verdict = evaluate([report], date(2024, 5, 31), thresholds=TH)
    assert verdict.passed and len(verdict.needs_statement) == 1


def test_newer_scan_of_a_host_supersedes_the_older() -> None:
    old = make_report(
        "old",
        "2024-04-01T10:00:00",
        [
            ("192.0.2.1", "443/tcp", "200162", 10.0),  # fixed since
            ("192.0.2.1", "22/tcp", "187315", 5.9),  # still there
            ("192.0.2.2", "25/tcp", "90001", 7.8),  # host not rescanned: still counts
        ],
    )
    new = make_report("new", "2024-05-20T10:00:00", [("192.0.2.1", "22/tcp", "187315", 5.9)])
    for order in ([old, new], [new, old]):  # the argument order does not matter
        verdict = evaluate(order, date(2024, 5, 31), thresholds=TH)
        assert [(f.host, f.check) for f in verdict.resolved] == [("192.0.2.1", "200162")]
        assert [(f.host, f.check) for f in verdict.blocking] == [("192.0.2.2", "90001")]
        assert [(f.host, f.check) for f in verdict.needs_statement] == [("192.0.2.1", "187315")]


def test_rescan_that_still_finds_it_keeps_it_blocking() -> None:
    old = make_report("old", "2024-04-01T10:00:00", [("192.0.2.1", "443/tcp", "x", 9.0)])
    new = make_report("new", "2024-05-01T10:00:00", [("192.0.2.1", "443/tcp", "x", 9.0)])
    verdict = evaluate([old, new], date(2024, 5, 31), thresholds=TH)
    assert len(verdict.blocking) == 1 and not verdict.resolved


def test_host_named_in_one_report_and_addressed_in_another() -> None:
    old = make_report("old", "2024-04-01T10:00:00", [("www.example.jp", "443/tcp", "x", 9.0)])
    new = make_report(
        "new",
        "2024-05-01T10:00:00",
        [("192.0.2.10", "80/tcp", "y", 1.0)],
        names={"192.0.2.10": {"www.example.jp"}},
    )
    verdict = evaluate([old, new], date(2024, 5, 31), thresholds=TH)
    assert [f.check for f in verdict.resolved] == ["x"] and not verdict.blocking


def test_superseding_uses_per_host_end_times() -> None:
    a = parse_report(FIXTURES / "nessus_v2.nessus")  # 192.0.2.10 scanned 2024-05-10
    b = parse_report(FIXTURES / "openvas_gmp22.xml")  # 192.0.2.10 scanned 2024-05-20
    verdict = evaluate([b, a], date(2024, 5, 31), thresholds=TH)
    resolved = {(f.host, f.check) for f in verdict.resolved}
    assert ("192.0.2.10", "200162") in resolved
    assert ("192.0.2.20", "90001") in {(f.host, f.check) for f in verdict.blocking}


def test_roles_missing() -> None:
    report = make_report(
        "r",
        "2024-05-01T10:00:00",
        [("192.0.2.10", "80/tcp", "a", 1.0)],
        names={"192.0.2.53": {"ns1.example.jp"}},
    )
    roles = parse_roles(
        {"192.0.2.10": ["web", "mail"], "NS1.example.jp.": "dns", "192.0.2.1": "router"}
    )
    verdict = evaluate([report], date(2024, 5, 31), roles, thresholds=TH)
    assert verdict.roles_missing == ["auth", "router"]
    assert verdict.roles_given
    without = evaluate([report], date(2024, 5, 31), thresholds=TH)
    assert without.roles_missing == ["dns", "mail", "web", "auth", "router"]
    assert not without.roles_given and without.passed  # coverage does not decide the exit


def test_roles_file(tmp_path: Path) -> None:
    path = tmp_path / "ROLES.yaml"
    path.write_text(
        'hosts:\n  192.0.2.10: [web, メール]\n  "2001:DB8::1": ルーター\n'
        "  auth.example.jp: authentication\n",
        encoding="utf-8",
    )
    assert load_roles(path) == {
        "192.0.2.10": {"web", "mail"},
        "2001:db8::1": {"router"},
        "auth.example.jp": {"auth"},
    }
    bad = tmp_path / "bad.yaml"
    bad.write_text("192.0.2.10: firewall\n")
    with pytest.raises(ReportError, match="unknown role"):
        load_roles(bad)
    bad.write_text("- just\n- a list\n")
    with pytest.raises(ReportError, match="map each host"):
        load_roles(bad)
    bad.write_text("a: [b\n")
    with pytest.raises(ReportError, match="not valid YAML"):
        load_roles(bad)


def test_to_dict_shape() -> None:
    report = make_report("r", "2024-05-01T10:00:00", [("192.0.2.1", "80/tcp", "a", 7.5)])
    data = evaluate([report], date(2024, 5, 31), thresholds=TH).to_dict()
    assert list(data) == [
        "submitted",
        "passed",
        "fresh",
        "thresholds",
        "without_v2",
        "reports",
        "blocking",
        "needs_statement",
        "resolved",
        "roles_missing",
    ]
    assert data["reports"] == [
        {
            "path": "r",
            "format": "nessus-v2",
            "scanner": "Nessus",
            "started": "2024-05-01T10:00:00+09:00",
            "finished": "2024-05-01T10:00:00+09:00",
            "hosts": 1,
            "findings": 1,
            "without_v2": 0,
        }
    ]
    assert data["blocking"] == [
        {
            "host": "192.0.2.1",
            "port": "80/tcp",
            "check": "a",
            "title": "check a",
            "cvss": {"version": "2.0", "vector": None, "base": 7.5, "source": "score"},
            "cves": [],
        }
    ]


def test_thresholds_come_from_the_criteria_set() -> None:
    """Issue 9.8: a set with other numbers changes the gate (nothing hard-coded)."""
    import dataclasses

    from ssmark import criteria

    cs = criteria.default_set()
    assert cs.diagnosis is not None and cs.diagnosis.cvss is not None
    seed = Thresholds.of(cs)
    assert (seed.fail_at, seed.statement_at, seed.max_age_months) == (7.0, 4.0, 3)
    other_cvss = dataclasses.replace(cs.diagnosis.cvss, fail_at=9.0, statement_at=6.0)
    other_diag = dataclasses.replace(cs.diagnosis, cvss=other_cvss, max_age_months=1)
    other = Thresholds.of(dataclasses.replace(cs, diagnosis=other_diag))
    report = make_report(
        "r",
        "2024-04-20T10:00:00",
        [
            ("192.0.2.1", "80/tcp", "a", 7.5),
            ("192.0.2.1", "80/tcp", "b", 5.0),
            ("192.0.2.1", "80/tcp", "c", 9.1),
        ],
    )
    under_seed = evaluate([report], date(2024, 5, 31), thresholds=seed)
    assert [f.check for f in under_seed.blocking] == ["c", "a"]
    assert [f.check for f in under_seed.needs_statement] == ["b"]
    assert under_seed.fresh and under_seed.earliest == date(2024, 2, 29)
    under_other = evaluate([report], date(2024, 5, 31), thresholds=other)
    assert [f.check for f in under_other.blocking] == ["c"]
    assert [f.check for f in under_other.needs_statement] == ["a"]
    # One month back from 05-31 is 04-30: the 04-20 scan is stale under that set.
    assert under_other.earliest == date(2024, 4, 30) and not under_other.fresh


def test_condition_1_flag_and_the_fallback_setting() -> None:
    report = make_report("r", "2024-05-01T10:00:00", [("192.0.2.1", "80/tcp", "a", 5.0)])
    report.findings[0].scores = (Score("3.1", 5.0, None, "score"),)
    allowed = evaluate([report], date(2024, 5, 31), thresholds=TH)
    assert allowed.without_v2 == 1 and allowed.passed
    refused = Thresholds(fail_at=7.0, statement_at=4.0, max_age_months=3, fallback_allowed=False)
    verdict = evaluate([report], date(2024, 5, 31), thresholds=refused)
    assert verdict.without_v2 == 1 and not verdict.passed
