"""Hostile and broken input: refused with a ReportError (how fast: bench/scans/hostile.py;
memory: bench/scans/memory.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssmark.scans import ReportError, parse_report

FIXTURES = Path(__file__).parent / "fixtures"

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE NessusClientData_v2 [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<NessusClientData_v2><Report name="x"><ReportHost name="192.0.2.1"><HostProperties/>
<ReportItem port="0" protocol="tcp" pluginID="1" pluginName="&xxe;"/></ReportHost></Report>
</NessusClientData_v2>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE report [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<report format_id="x"><report><scan_run_status>Done</scan_run_status><results>
<result><host>192.0.2.1</host><port>80/tcp</port><nvt oid="1"><name>&lol9;</name></nvt></result>
</results></report></report>"""


def write(tmp_path: Path, content: bytes, name: str = "report.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def refused(path: Path, *, max_bytes: int | None = None) -> str:
    with pytest.raises(ReportError) as caught:
        if max_bytes is None:
            parse_report(path)
        else:
            parse_report(path, max_bytes=max_bytes)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


def test_external_entity_is_refused(tmp_path: Path) -> None:
    assert "entities" in refused(write(tmp_path, XXE))


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    assert "entities" in refused(write(tmp_path, LAUGHS))


def test_entity_declared_in_lowercase_doctype_is_refused(tmp_path: Path) -> None:
    content = XXE.replace(b"<!DOCTYPE", b"<!doctype")
    assert "entities" in refused(write(tmp_path, content))


def test_undeclared_entity_reference_is_refused(tmp_path: Path) -> None:
    content = (
        (FIXTURES / "nexpose_v2.xml")
        .read_bytes()
        .replace(b'title="DNS Traffic Amplification"', b'title="&ext;"')
    )
    assert "entity" in refused(write(tmp_path, content))


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    # Qualys names its DTD by URL; it must be neither loaded nor needed.
    content = (
        (FIXTURES / "qualys_scan.xml")
        .read_bytes()
        .replace(b"https://qualysapi.qualys.com/scan-1.dtd", b"http://192.0.2.1:9/never.dtd")
    )
    assert len(parse_report(write(tmp_path, content)).findings) == 2


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    depth = 100_000
    content = (
        b'<NexposeReport version="2.0"><nodes>'
        + b"<a>" * depth
        + b"</a>" * depth
        + b"</nodes></NexposeReport>"
    )
    assert "deep" in refused(write(tmp_path, content))


def test_huge_text_node_is_refused(tmp_path: Path) -> None:
    content = (
        b'<nmaprun scanner="nmap"><host><address addr="192.0.2.1" addrtype="ipv4"/>'
        b'<ports><port protocol="tcp" portid="1"><script id="vulners">'
        + b"A" * (11 * 1024 * 1024)
        + b"</script></port></ports></host></nmaprun>"
    )
    refused(write(tmp_path, content))


def test_size_limit(tmp_path: Path) -> None:
    assert "limit" in refused(FIXTURES / "nessus_v2.nessus", max_bytes=4096)


@pytest.mark.parametrize(
    "name",
    [
        "nessus_v2.nessus",
        "openvas_gmp22.xml",
        "openvas_gvm9.xml",
        "qualys_asset_data.xml",
        "qualys_scan.xml",
        "nexpose_v2.xml",
        "nmap_vulners.xml",
    ],
)
def test_truncated_xml(name: str, tmp_path: Path) -> None:
    data = (FIXTURES / name).read_bytes()
    assert "truncated" in refused(write(tmp_path, data[: len(data) * 2 // 3]))


def test_truncated_json_array(tmp_path: Path) -> None:
    data = (FIXTURES / "nuclei_export.json").read_bytes()
    assert "truncated" in refused(write(tmp_path, data[: len(data) // 2]))


def test_truncated_jsonl_line(tmp_path: Path) -> None:
    data = (FIXTURES / "nuclei.jsonl").read_bytes()
    assert "line 5" in refused(write(tmp_path, data[:-40]))


def test_entity_hidden_beyond_the_head_is_refused(tmp_path: Path) -> None:
    padding = b"<!-- " + b"x" * 70_000 + b" -->"
    refused(write(tmp_path, padding + LAUGHS.split(b"?>", 1)[1]))
