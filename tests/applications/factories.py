"""Test data for the applicant side: file contents, scan reports, uploads."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def nuclei_report(
    findings: list[tuple[str, str, float | None]], when: datetime.datetime | None = None
) -> bytes:
    """A small Nuclei JSON Lines report: (ip, template id, CVSS base score or None)."""
    when = when or datetime.datetime.now(datetime.UTC)
    lines = []
    for ip, template, score in findings:
        info: dict[str, Any] = {"name": f"check {template}"}
        if score is not None:
            info["classification"] = {"cvss-score": score}
        record = {
            "template-id": template,
            "info": info,
            "host": ip,
            "ip": ip,
            "port": "443",
            "type": "http",
            "timestamp": when.isoformat(),
        }
        lines.append(json.dumps(record))
    return ("\n".join(lines) + "\n").encode()


HOSTS = {
    "dns": "192.0.2.53",
    "mail": "192.0.2.25",
    "web": "192.0.2.80",
    "auth": "192.0.2.18",
    "router": "192.0.2.1",
}


def clean_scan() -> bytes:
    """Every role's host scanned, nothing at or above CVSS 4.0."""
    return nuclei_report([(ip, f"info-{role}", None) for role, ip in HOSTS.items()])


def all_roles() -> dict[str, list[str]]:
    return {ip: [role] for role, ip in HOSTS.items()}


def full_audit(application: Any, user: Any) -> None:
    """One internal audit last month covering every audit item of the set (so 1-1-2 may be
    claimed met)."""
    from ssmark.applications import assessment, services
    from ssmark.core import clock

    services.record_audit(
        actor=user,
        application=application,
        audited_on=clock.today() - datetime.timedelta(days=30),
        auditor="内部監査室",
        auditor_kind="internal",
        covered=sorted(assessment.security_audit_item_codes(application)),
    )
