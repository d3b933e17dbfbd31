"""Each supported format, read from fixtures built after real scanner output."""

from __future__ import annotations

import codecs
import io
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, cast

import pytest

from ssmark.scans import Finding, Report, ReportError, detect_format, parse_report
from ssmark.scans.times import SCHEME_TZ

FIXTURES = Path(__file__).parent / "fixtures"


def fx(name: str) -> Path:
    return FIXTURES / name


def jst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SCHEME_TZ)


def by_key(report: Report) -> dict[tuple[str, str, str], Finding]:
    return {(f.host, f.port, f.check): f for f in report.findings}


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("nessus_v2.nessus", "nessus-v2"),
        ("nessus_classic.csv", "nessus-csv"),
        ("nessus_v10.csv", "nessus-csv"),
        ("tenable_sc.csv", "nessus-csv"),
        ("tenable_io.csv", "nessus-csv"),
        ("tenable_vm_semicolon.csv", "nessus-csv"),
        ("openvas_gmp22.xml", "openvas-xml"),
        ("openvas_gvm9.xml", "openvas-xml"),
        ("openvas_results.csv", "openvas-csv"),
        ("qualys_asset_data.xml", "qualys-xml"),
        ("qualys_scan.xml", "qualys-xml"),
        ("nexpose_v2.xml", "nexpose-xml"),
        ("nmap_vulners.xml", "nmap-vulners"),
        ("nuclei.jsonl", "nuclei-jsonl"),
        ("nuclei_export.json", "nuclei-jsonl"),
    ],
)
def test_format_is_detected_from_content_not_name(name: str, fmt: str, tmp_path: Path) -> None:
    renamed = tmp_path / "upload.bin"
    shutil.copy(FIXTURES / name, renamed)
    assert detect_format(renamed) == fmt
    assert parse_report(renamed).format == fmt
    with open(FIXTURES / name, "rb") as handle:  # a binary file object works too
        assert parse_report(handle, name="upload").format == fmt


def test_nessus_v2() -> None:
    report = parse_report(fx("nessus_v2.nessus"))
    assert report.scanner_label == "Nessus 10.7.2"
    # HOST_START_TIMESTAMP is exact; HOST_END without an epoch is local (JST) time.
    assert report.started == datetime(2024, 5, 10, 1, 0, 5, tzinfo=UTC)
    assert report.finished == jst("2024-05-10T10:35:12")
    assert set(report.hosts) == {"192.0.2.10", "192.0.2.20", "2001:db8::53"}
    assert report.hosts["192.0.2.20"].names == {"mail.example.jp", "mail"}
    assert "ns1.example.jp" in report.hosts["2001:db8::53"].names
    found = by_key(report)
    php = found[("192.0.2.10", "443/tcp", "200162")]
    assert php.cves == ("CVE-2024-4577", "CVE-2024-5458", "CVE-2024-5585")
    assert [(s.version, s.base) for s in php.scores] == [("2.0", 10.0), ("3.0", 9.8), ("4.0", 9.3)]
    assert php.decisive is not None and php.decisive.vector == "AV:N/AC:L/Au:N/C:C/I:C/A:C"
    sweet32 = found[("192.0.2.10", "443/tcp", "42873")]
    assert sweet32.base == 5.0  # v2 decides even though v3 says 7.5
    terrapin = found[("192.0.2.10", "22/tcp", "187315")]
    assert terrapin.decisive is not None and terrapin.decisive.version == "3.0"
    score_only = found[("192.0.2.20", "25/tcp", "90001")]
    assert score_only.decisive is not None
    assert (score_only.decisive.source, score_only.decisive.vector, score_only.base) == (
        "score",
        None,
        7.8,
    )
    v4_only = found[("192.0.2.20", "25/tcp", "90002")]
    assert v4_only.decisive is not None and v4_only.decisive.version == "4.0"
    assert found[("192.0.2.10", "0/tcp", "19506")].base is None  # informational
    assert len(report.findings) == 9


def test_nessus_classic_csv_groups_one_cve_per_row() -> None:
    report = parse_report(fx("nessus_classic.csv"))  # UTF-8 BOM, CRLF, multi-line cells
    php = by_key(report)[("192.0.2.10", "443/tcp", "200162")]
    assert php.cves == ("CVE-2024-4577", "CVE-2024-5458", "CVE-2024-5585")
    assert php.decisive is not None
    assert (php.decisive.version, php.base, php.decisive.source) == ("2.0", 10.0, "score")
    assert len(report.findings) == 4
    assert report.finished is None and report.notes  # the classic export has no times


def test_nessus_10_csv_columns_and_lost_decimals() -> None:
    plain = by_key(parse_report(fx("nessus_v10.csv")))
    lost = parse_report(fx("nessus_v10_decimal_lost.csv"))
    assert {k: f.base for k, f in plain.items()} == {k: f.base for k, f in by_key(lost).items()}
    assert any("tenths" in note for note in lost.notes)
    terrapin = plain[("192.168.0.100", "22/tcp", "187315")]
    assert terrapin.decisive is not None and terrapin.decisive.version == "3.x"
    assert [s.version for s in terrapin.scores] == ["3.x", "4.0"]


def test_tenable_sc_csv() -> None:
    report = parse_report(fx("tenable_sc.csv"))
    found = by_key(report)
    ms17 = found[("198.51.100.5", "445/tcp", "97833")]
    assert len(ms17.cves) == 6 and ms17.base == 9.3
    assert ms17.decisive is not None and ms17.decisive.source == "vector"
    assert report.finished == datetime(2024, 4, 19, 21, 1, 1, tzinfo=UTC)
    assert "www.example.net" in report.hosts["198.51.100.4"].names


def test_tenable_io_csv_bare_v3_vectors() -> None:
    report = parse_report(fx("tenable_io.csv"))
    kernel = by_key(report)[("10.0.0.7", "0/tcp", "176700")]
    assert [(s.version, s.base) for s in kernel.scores] == [("2.0", 6.8), ("3.0", 7.8)]
    assert report.started == datetime(2024, 4, 8, 1, 7, 18, 371000, tzinfo=UTC)


def test_tenable_vm_semicolon_export_with_v4_and_decimal_comma() -> None:
    report = parse_report(fx("tenable_vm_semicolon.csv"))
    nxos = by_key(report)[("10.0.0.9", "22/tcp", "201218")]
    assert [(s.version, s.base) for s in nxos.scores] == [("3.1", 6.7), ("4.0", 8.4)]
    assert nxos.base == 6.7  # v3.x decides before v4
    assert by_key(report)[("10.0.0.1", "0/tcp", "33851")].base == 2.1


def test_openvas_xml_gmp22() -> None:
    report = parse_report(fx("openvas_gmp22.xml"))
    assert report.scanner_label == "Greenbone OpenVAS GMP 22.6"
    assert report.started == jst("2024-05-20T15:01:38")
    assert report.finished == jst("2024-05-20T17:09:57")
    found = by_key(report)
    win = found[("192.0.2.99", "445/tcp", "1.3.6.1.4.1.25623.1.0.836484")]
    assert win.decisive is not None and win.decisive.version == "3.1" and win.base == 9.8
    assert win.cves == ("CVE-2025-49659", "CVE-2025-48823", "CVE-2025-47981")
    tls = found[("192.0.2.10", "443/tcp", "1.3.6.1.4.1.25623.1.0.117274")]
    assert tls.decisive is not None and tls.decisive.version == "2.0" and tls.base == 4.3
    assert len(report.findings) == 3  # the result nested in <detection> is not a finding
    assert report.hosts["192.0.2.99"].names == {"auth01.example.jp"}
    assert report.hosts["192.0.2.99"].finished == jst("2024-05-20T17:09:40")


def test_openvas_xml_gvm9_bare_cvss_base_is_v2() -> None:
    report = parse_report(fx("openvas_gvm9.xml"))
    found = by_key(report)
    rexec = found[("198.51.100.30", "512/tcp", "1.3.6.1.4.1.25623.1.0.100111")]
    assert rexec.decisive is not None
    assert (rexec.decisive.version, rexec.decisive.source, rexec.base) == ("2.0", "score", 10.0)
    vsftpd = found[("198.51.100.30", "21/tcp", "1.3.6.1.4.1.25623.1.0.103185")]
    assert vsftpd.cves == ("CVE-2011-2523", "CVE-2011-0762")
    assert vsftpd.decisive is not None and vsftpd.decisive.source == "vector"
    assert report.finished == datetime(2024, 4, 26, 12, 1, 10, tzinfo=UTC)


def test_openvas_csv() -> None:
    report = parse_report(fx("openvas_results.csv"))
    found = by_key(report)
    brute = found[("192.168.118.212", "9200/tcp", "1.3.6.1.4.1.25623.1.0.103240")]
    assert brute.decisive is not None
    assert (brute.decisive.version, brute.base) == (None, 9.0)  # the CSV states no version
    assert found[("192.168.118.212", "general/tcp", "1.3.6.1.4.1.25623.1.0.80091")].base == 2.6
    assert report.hosts["192.168.118.212"].names == {"logsrv"}
    assert report.finished == datetime(2024, 5, 26, 20, 51, 2, tzinfo=UTC)


def test_qualys_asset_data_report() -> None:
    report = parse_report(fx("qualys_asset_data.xml"))
    found = by_key(report)
    bind = found[("203.0.113.10", "53/udp", "15033")]
    assert [(s.version, s.base, s.source) for s in bind.scores] == [
        ("2.0", 7.8, "score"),
        ("3.1", 7.5, "vector"),
    ]
    assert bind.cves == ("CVE-2023-3341",)
    ssh = found[("203.0.113.10", "22/tcp", "38739")]
    assert ssh.decisive is not None and ssh.decisive.vector == "AV:N/AC:M/Au:N/C:P/I:N/A:N"
    exim = found[("203.0.113.11", "25/tcp", "74042")]
    assert exim.decisive is not None and exim.decisive.version == "3.x" and exim.base == 9.8
    assert ("203.0.113.10", "443/tcp", "38628") not in found  # VULN_STATUS Fixed
    assert report.finished == datetime(2024, 5, 20, 12, 10, 2, tzinfo=UTC)
    assert report.hosts["203.0.113.10"].names == {"ns1.example.net", "ns1"}


def test_qualys_scan_results() -> None:
    report = parse_report(fx("qualys_scan.xml"))
    found = by_key(report)
    webui = found[("203.0.113.1", "443/tcp", "317323")]
    assert webui.cves == ("CVE-2023-20198", "CVE-2023-20273") and webui.base == 10.0
    assert found[("203.0.113.1", "22/tcp", "38739")].base == 4.3  # a PRACTICE (potential)
    assert len(report.findings) == 2  # INFOS are not findings
    assert report.started == datetime(2024, 5, 17, 13, 0, tzinfo=UTC)
    assert report.finished == datetime(2024, 5, 17, 13, 24, 31, tzinfo=UTC)  # DATE + DURATION
    assert report.hosts["203.0.113.1"].names == {"rtr1.example.net"}


def test_nexpose_xml_2() -> None:
    report = parse_report(fx("nexpose_v2.xml"))
    found = by_key(report)
    assert set(found) == {
        ("198.51.100.53", "general/tcp", "generic-icmp-timestamp"),
        ("198.51.100.53", "53/tcp", "dns-allows-cache-snooping"),
        ("198.51.100.53", "53/tcp", "ISC-BIND-CVE-2023-3341"),
        ("198.51.100.53", "53/udp", "dns-amplification"),
    }  # not-vulnerable and skipped tests are left out
    bind = found[("198.51.100.53", "53/tcp", "ISC-BIND-CVE-2023-3341")]
    assert [(s.version, s.base) for s in bind.scores] == [("2.0", 7.8), ("3.1", 7.5)]
    assert bind.cves == ("CVE-2023-3341",)
    assert found[("198.51.100.53", "53/tcp", "dns-allows-cache-snooping")].base == 5.0
    assert report.finished == jst("2024-05-15T23:54:29.678")
    assert report.hosts["198.51.100.53"].names == {"ns2.example.org"}


def test_nmap_vulners() -> None:
    report = parse_report(fx("nmap_vulners.xml"))
    found = by_key(report)
    assert set(found) == {
        ("192.0.2.25", "22/tcp", "CVE-2023-38408"),
        ("192.0.2.25", "22/tcp", "CVE-2018-15919"),
        ("2001:db8::25", "80/tcp", "CVE-2021-23017"),
        ("2001:db8::25", "80/tcp", "CVE-2023-44487"),
    }  # exploits and the PRION duplicate are folded; the down host is left out
    score = found[("192.0.2.25", "22/tcp", "CVE-2023-38408")].decisive
    assert score is not None and (score.version, score.base, score.source) == (None, 9.8, "score")
    assert report.scanner_label == "Nmap 7.94SVN"
    assert report.started == jst("2024-05-18T10:07:25")
    assert report.finished == jst("2024-05-18T10:09:35")
    assert set(report.hosts) == {"192.0.2.25", "2001:db8::25"}


def test_nuclei_jsonl() -> None:
    report = parse_report(fx("nuclei.jsonl"))
    found = by_key(report)
    apache = found[("192.0.2.10", "443/tcp", "CVE-2021-41773")]
    assert apache.cves == ("CVE-2021-41773",)
    assert apache.decisive is not None and (apache.decisive.version, apache.base) == ("3.1", 7.5)
    assert found[("192.0.2.22", "22/tcp", "CVE-2024-6387")].base == 8.1
    assert found[("192.0.2.10", "443/tcp", "http-missing-security-headers")].base is None
    assert ("ns1.example.jp", "53/udp", "dns-rebinding") in found
    assert len(report.findings) == 4  # two matchers of one template are one finding
    assert "www.example.jp" in report.hosts["192.0.2.10"].names
    assert report.finished == jst("2024-05-19T11:06:00")


def test_nuclei_json_array_export() -> None:
    report = parse_report(fx("nuclei_export.json"))
    assert len(report.findings) == 2


def test_bom_crlf_and_utf16(tmp_path: Path) -> None:
    nessus = fx("nessus_v2.nessus").read_bytes()
    crlf = tmp_path / "crlf"
    crlf.write_bytes(codecs.BOM_UTF8 + nessus.replace(b"\n", b"\r\n"))
    assert len(parse_report(crlf).findings) == 9
    csv16 = tmp_path / "csv16"
    csv16.write_bytes(fx("openvas_results.csv").read_text().encode("utf-16"))
    assert len(parse_report(csv16).findings) == 4


def test_namespaced_xml_is_accepted(tmp_path: Path) -> None:
    text = (
        fx("nexpose_v2.xml")
        .read_text()
        .replace(
            '<NexposeReport version="2.0">', '<NexposeReport version="2.0" xmlns="urn:rapid7:test">'
        )
    )
    path = tmp_path / "ns.xml"
    path.write_text(text)
    assert len(parse_report(path).findings) == 4


def test_unseekable_stream() -> None:
    class Pipe:
        """Only read(): what a socket or a pipe offers."""

        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def read(self, size: int = -1) -> bytes:
            return self._data.read(size)

        def seekable(self) -> bool:
            return False

    stream = cast(BinaryIO, Pipe(fx("nuclei.jsonl").read_bytes()))
    assert len(parse_report(stream, name="pipe").findings) == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"<html><body>hi</body></html>", "HTML"),
        (b"<?xml version='1.0'?><inventory><item/></inventory>", "unknown format"),
        (b"<NessusClientData><Report/></NessusClientData>", "Nessus v1"),
        (b'{"name": "not nuclei"}\n', "unknown format"),
        (b"a,b,c\n1,2,3\n", "unknown format"),
        (b"just some text\n", "not a report"),
    ],
)
def test_not_a_report(content: bytes, message: str, tmp_path: Path) -> None:
    path = tmp_path / "x.nessus"
    path.write_bytes(content)
    with pytest.raises(ReportError) as caught:
        parse_report(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
