"""Audit the runtime lock (requirements.lock) for known vulnerabilities with pip-audit.

Exit 1 when a pinned runtime package has a known vulnerability (each is listed with its fix
versions). When the vulnerability service cannot be reached, or it does not know some pinned
versions, print a clear WARNING and exit 0: CI must not fail because a service is offline, but
the log says the audit did not happen.

Usage: python scripts/audit_runtime.py [LOCKFILE]   (make audit)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def main() -> int:
    lock = Path(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as work:
        report = Path(work) / "audit.json"
        # --no-deps --disable-pip: audit exactly the pinned lines, without building a venv.
        command = [str(bin_dir / "pip-audit"), "--no-deps", "--disable-pip", "-r", str(lock)]
        command += ["--progress-spinner", "off", "--format", "json", "-o", str(report)]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=600)
            stderr = run.stderr
        except subprocess.TimeoutExpired:
            stderr = "pip-audit timed out after 600 s"
        if not report.exists():
            last = (stderr.strip().splitlines() or ["(no output)"])[-1]
            print(
                f"WARNING: pip-audit could not reach the vulnerability service; {lock} was NOT "
                f"audited.\n  {last}",
                file=sys.stderr,
            )
            return 0
        data = json.loads(report.read_text())
    vulnerable = [d for d in data.get("dependencies", []) if d.get("vulns")]
    skipped = [d for d in data.get("dependencies", []) if d.get("skip_reason")]
    audited = len(data.get("dependencies", [])) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{dep['name']} {dep.get('version', '')}: {vuln['id']} (fixed in: {fixes})")
    if skipped:
        print(
            f"WARNING: the vulnerability service did not know {len(skipped)} of the pinned "
            f"packages, which were NOT audited: "
            + ", ".join(d["name"] for d in skipped[:10])
            + (" …" if len(skipped) > 10 else ""),
            file=sys.stderr,
        )
    if vulnerable:
        print(f"{len(vulnerable)} runtime package(s) with known vulnerabilities in {lock}")
        return 1
    if audited:
        print(f"pip-audit: no known vulnerabilities in {audited} audited package(s) of {lock}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
