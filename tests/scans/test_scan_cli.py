"""`ssmark scan-check`: exit codes, one-line errors, the JSON shape."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ssmark.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["ssmark", "scan-check", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_blocking_findings_exit_1_with_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, str(FIXTURES / "nessus_v2.nessus"), "--submitted", "2024-05-31", "--json"
    )
    assert code == 1 and err == ""
    data = json.loads(out)
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
    assert (data["submitted"], data["passed"], data["fresh"]) == ("2024-05-31", False, True)
    assert data["reports"] == [
        {
            "path": str(FIXTURES / "nessus_v2.nessus"),
            "format": "nessus-v2",
            "scanner": "Nessus 10.7.2",
            "started": "2024-05-10T10:00:05+09:00",
            "finished": "2024-05-10T10:35:12+09:00",
            "hosts": 3,
            "findings": 9,
            "without_v2": 2,  # two findings give only a v3 score (condition 1 flag)
        }
    ]
    first = data["blocking"][0]
    assert first == {
        "host": "192.0.2.10",
        "port": "443/tcp",
        "check": "200162",
        "title": "PHP 8.2.x < 8.2.20 Multiple Vulnerabilities",
        "cvss": {
            "version": "2.0",
            "vector": "AV:N/AC:L/Au:N/C:C/I:C/A:C",
            "base": 10.0,
            "source": "vector",
        },
        "cves": ["CVE-2024-4577", "CVE-2024-5458", "CVE-2024-5585"],
    }
    assert {f["check"] for f in data["blocking"]} == {"200162", "90001"}
    assert {f["check"] for f in data["needs_statement"]} == {"42873", "187315", "90002", "12217"}
    assert data["resolved"] == []
    assert data["roles_missing"] == ["dns", "mail", "web", "auth", "router"]


def test_clean_report_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    roles = tmp_path / "ROLES.yaml"
    roles.write_text("192.0.2.10: [web, dns, mail, auth, router]\n")
    code, out, _ = run(
        capsys,
        str(FIXTURES / "nexpose_v2.xml"),
        "--submitted",
        "2024-06-30",
        "--json",
        "--roles",
        str(roles),
    )
    data = json.loads(out)
    # ISC BIND (v2 7.8) blocks; after removing it from the report the run passes.
    assert code == 1 and [f["check"] for f in data["blocking"]] == ["ISC-BIND-CVE-2023-3341"]
    assert data["roles_missing"] == ["dns", "mail", "web", "auth", "router"]
    fixed = tmp_path / "fixed.xml"
    fixed.write_text(
        (FIXTURES / "nexpose_v2.xml")
        .read_text()
        .replace('status="vulnerable-version"', 'status="not-vulnerable"')
    )
    roles.write_text("198.51.100.53: [web, dns, mail, auth, router]\n")
    code, out, _ = run(
        capsys, str(fixed), "--submitted", "2024-06-30", "--json", "--roles", str(roles)
    )
    data = json.loads(out)
    assert code == 0 and data["passed"] and data["roles_missing"] == []
    assert len(data["needs_statement"]) == 1


def test_stale_report_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    clean = tmp_path / "clean.jsonl"
    lines = (FIXTURES / "nuclei.jsonl").read_text().splitlines()
    clean.write_text("\n".join(line for line in lines if "cvss-score" not in line) + "\n")
    code, out, _ = run(capsys, str(clean), "--submitted", "2024-08-20", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["fresh"] is False and data["blocking"] == []
    code, _, _ = run(capsys, str(clean), "--submitted", "2024-08-19", "--json")
    assert code == 0


def test_human_output_in_japanese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    args = (str(FIXTURES / "openvas_gmp22.xml"), "--submitted", "2024-05-31")
    code, out, _ = run(capsys, *args)
    assert code == 1 and "判定: 不合格" in out and "1.3.6.1.4.1.25623.1.0.836484" in out
    code, out, _ = run(capsys, *args, "--lang", "en")
    assert "Verdict: NOT PASSED" in out and "blocking" in out


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"<?xml version='1.0'?><foo/>", "unknown format"),
        (b'<NessusClientData_v2><Report name="x"><ReportHost name="1.2.3.4">', "truncated XML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad.nessus"
    bad.write_bytes(content)
    code, out, err = run(
        capsys, str(FIXTURES / "nessus_v2.nessus"), str(bad), "--submitted", "2024-05-31", "--json"
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and str(bad) in err and problem in err


def test_missing_file_and_bad_roles_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.xml"), "--submitted", "2024-05-31")
    assert code == 2 and "nope.xml" in err and err.count("\n") == 1
    roles = tmp_path / "ROLES.yaml"
    roles.write_text("192.0.2.10: toaster\n")
    code, _, err = run(
        capsys, str(FIXTURES / "nuclei.jsonl"), "--submitted", "2024-05-31", "--roles", str(roles)
    )
    assert code == 2 and "ROLES.yaml" in err and "toaster" in err


def test_console_script_end_to_end(tmp_path: Path) -> None:
    script = shutil.which("ssmark", path=str(Path(sys.executable).parent))
    assert script is not None
    done = subprocess.run(
        [
            script,
            "scan-check",
            str(FIXTURES / "qualys_scan.xml"),
            str(FIXTURES / "nmap_vulners.xml"),
            "--submitted",
            "2024-05-31",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert [r["format"] for r in data["reports"]] == ["qualys-xml", "nmap-vulners"]
    truncated = tmp_path / "t.xml"
    truncated.write_bytes((FIXTURES / "qualys_scan.xml").read_bytes()[:900])
    done = subprocess.run(
        [script, "scan-check", str(truncated), "--submitted", "2024-05-31"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "t.xml" in done.stderr
