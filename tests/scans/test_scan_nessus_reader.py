"""The Nessus v2 reader's own rules: what belongs to a finding, hosts of any size, the
unbuffered stream it reads through, and a namespaced file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO, cast

import pytest

from ssmark.scans import Finding, ReportError, parse_report
from ssmark.scans.parsers import nessus_xml
from ssmark.scans.source import Source

V2 = "AV:N/AC:L/Au:N/C:P/I:P/A:P"  # base 7.5


def nessus(hosts: str, root_attrs: str = "") -> bytes:
    return (
        f'<?xml version="1.0" ?>\n<NessusClientData_v2{root_attrs}>'
        f'<Report name="t">{hosts}</Report></NessusClientData_v2>'
    ).encode()


def item(plugin: str, children: str = "", port: str = "443") -> str:
    return (
        f'<ReportItem port="{port}" protocol="tcp" pluginID="{plugin}" pluginName="P{plugin}">'
        f"<description>words</description>{children}</ReportItem>"
    )


def host(name: str, items: str, extra: str = "") -> str:
    props = f'<HostProperties><tag name="host-ip">{name}</tag></HostProperties>'
    return f'<ReportHost name="{name}">{props}{extra}{items}</ReportHost>'


def read(tmp_path: Path, data: bytes) -> dict[str, Finding]:
    path = tmp_path / "r.nessus"
    path.write_bytes(data)
    report = parse_report(path)
    return {f.check: f for f in report.findings}


def test_scores_and_cves_belong_to_their_own_item_only(tmp_path: Path) -> None:
    findings = read(
        tmp_path,
        nessus(
            host(
                "10.0.0.1",
                item("1", f"<cve>CVE-2024-0001</cve><cvss_vector>CVSS2#{V2}</cvss_vector>")
                + item("2")
                + item("3", "<cve> </cve><cve/><cvss_base_score>5.0</cvss_base_score>"),
            )
        ),
    )
    first, second, third = findings["1"], findings["2"], findings["3"]
    assert first.cves == ("CVE-2024-0001",) and first.base == 7.5
    assert second.cves == () and second.scores == ()
    # Empty <cve> elements name no CVE; a stated score without a vector is used.
    assert third.cves == () and third.base == 5.0


def test_score_elements_outside_an_item_are_ignored(tmp_path: Path) -> None:
    stray = f"<cve>CVE-2024-9999</cve><cvss_vector>CVSS2#{V2}</cvss_vector>"
    findings = read(tmp_path, nessus(host("10.0.0.1", item("1") + item("2"), extra=stray)))
    assert findings["1"].cves == () and findings["1"].scores == ()
    assert findings["2"].cves == () and findings["2"].scores == ()


def test_a_host_with_more_items_than_one_release_batch(tmp_path: Path) -> None:
    count = nessus_xml._DROP_EVERY * 3 + 7
    items = "".join(
        item(str(n), f"<cvss_base_score>{n % 10}.0</cvss_base_score>" if n % 5 == 0 else "")
        for n in range(count)
    )
    findings = read(tmp_path, nessus(host("10.0.0.1", items) + host("10.0.0.2", item("x"))))
    assert len(findings) == count + 1  # and "x", the second host's
    assert findings["1500"].base == 0.0
    assert findings["1505"].base == 5.0
    assert findings["1501"].scores == ()


def test_namespaced_nessus_file(tmp_path: Path) -> None:
    data = nessus(
        host("10.0.0.1", item("1", f"<cvss_vector>CVSS2#{V2}</cvss_vector>")),
        root_attrs=' xmlns="urn:test"',
    )
    findings = read(tmp_path, data)
    assert findings["1"].base == 7.5


def test_unbuffered_reader_counts_bytes_and_keeps_the_limit() -> None:
    data = nessus(host("10.0.0.1", item("1") * 50))
    source = Source(io.BytesIO(data), "r.nessus", max_bytes=len(data))
    with source.open(buffered=False) as stream:
        assert stream.read(10) == data[:10]
        assert stream.read(-1) == data[10:]
    assert source.bytes_read == len(data)
    with pytest.raises(ReportError) as refused:
        parse_report(io.BytesIO(data), name="r.nessus", max_bytes=len(data) - 1)
    assert refused.value.code == "too_large"


def test_unseekable_nessus_stream_replays_its_head() -> None:
    data = nessus(host("10.0.0.1", item("1") + item("2")))

    class Pipe:
        def __init__(self) -> None:
            self._data = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self._data.read(size)

        def seekable(self) -> bool:
            return False

    report = parse_report(cast(BinaryIO, Pipe()), name="pipe")
    assert sorted(f.check for f in report.findings) == ["1", "2"]
