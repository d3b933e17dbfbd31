"""The README's API example, run as written: curl uploads a scan report to a live server with an
applicant's token and reads the gate result and the findings (the shell variables the README
sets by hand come from this test)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.applications.factories import HOSTS, nuclei_report

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_commands() -> str:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- api-curl-example.*?-->\s*```sh\n(.*?)```", text, re.S)
    assert block, "README has no API example"
    lines = block.group(1).splitlines()
    # the first two lines set SSMARK, TOKEN and APP by hand: the test provides them
    assert lines[0].startswith("export SSMARK=") and lines[1].startswith("APP=")
    return "\n".join(lines[2:]) + "\n"


def test_readme_curl_example(live_server, users, new_application, token_for, tmp_path):
    for tool in ("curl", "jq", "bash"):
        assert shutil.which(tool), f"{tool} is needed (make sysdeps installs it)"
    application = new_application(service_name="カール光")
    report = nuclei_report([(HOSTS["web"], "cve-critical", 9.8), (HOSTS["dns"], "info", None)])
    (tmp_path / "nuclei-2026-06.jsonl").write_bytes(report)
    script = "set -euo pipefail\n" + readme_commands().replace(
        "| jq .gate", '| jq -c .gate; echo "---"'
    ).replace('page=1"', 'page=1"; echo')
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "SSMARK": live_server.url,
            "TOKEN": token_for("alice"),
            "APP": str(application.pk),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    gate_text, findings_text = result.stdout.split("---\n")
    gate = json.loads(gate_text)
    assert gate["state"] == "blocking" and gate["passes"] is False
    assert [f["check"] for f in gate["blocking"]] == ["cve-critical"]
    assert "CVSS" in gate["reason"]  # Accept-Language: ja → the reason in Japanese
    findings = json.loads(findings_text)
    assert findings["count"] == 0  # nothing from 7.0 up to 9.0 in this report
    assert application.scan_reports.count() == 1


@pytest.fixture
def _no_rate_limit(settings):  # type: ignore[no-untyped-def]
    settings.SSMARK_API_RATE_PER_MINUTE = 1000
