"""Which scanner wrote a file, decided from its content (never its name)."""

from __future__ import annotations

import json

from .errors import ReportError
from .parsers.csvutil import header_of
from .source import head_text
from .xmlsafe import check_prolog

FORMATS = (
    "nessus-v2",
    "nessus-csv",
    "openvas-xml",
    "openvas-csv",
    "qualys-xml",
    "nexpose-xml",
    "nmap-vulners",
    "nuclei-jsonl",
)
_OPENVAS_MARKERS = (
    "scan_run_status",
    "<gmp>",
    "<omp>",
    "format_id=",
    "<nvt ",
    "<results",
    "<report_format",
)
_QUALYS_SCAN_MARKERS = ("scan-1.dtd", "<KEY value=", 'value="scan/', "<IP value=")
_MAGIC = {
    b"%PDF": ("pdf", "a PDF document"),
    b"PK\x03\x04": ("zip", "a ZIP archive (unpack it first)"),
    b"\x1f\x8b": ("gzip", "a gzip archive (unpack it first)"),
    b"\xd0\xcf\x11\xe0": ("office", "an old Office file"),
    b"<!DOCTYPE html": ("html", "an HTML page"),
    b"<html": ("html", "an HTML page"),
}


def detect(head: bytes, name: str = "") -> tuple[str, str]:
    """(format id, XML root or "") for a file whose first bytes are `head`."""
    for magic, (kind, what) in _MAGIC.items():
        if head[:64].lstrip().lower().startswith(magic.lower()):
            raise ReportError.of("not_a_report", name, what=what, kind=kind)
    text = head_text(head).lstrip("\ufeff \t\r\n")
    if not text:
        raise ReportError.of("empty", name)
    if "\x00" in text[:4096]:
        raise ReportError.of("binary", name)
    if text.startswith("<"):
        return _xml(text, name)
    if text.startswith(("{", "[")):
        return _json(text, name)
    return _csv(head, name)


def _xml(text: str, name: str) -> tuple[str, str]:
    root = check_prolog(text, name)
    if root == "NessusClientData_v2":
        return "nessus-v2", root
    if root == "NessusClientData":
        raise ReportError.of("nessus_v1", name)
    if root in ("report", "get_reports_response") and any(m in text for m in _OPENVAS_MARKERS):
        return "openvas-xml", root
    if root == "ASSET_DATA_REPORT":
        return "qualys-xml", root
    if root == "SCAN" and any(m in text for m in _QUALYS_SCAN_MARKERS):
        return "qualys-xml", root
    if root == "NexposeReport":
        return "nexpose-xml", root
    if root == "nmaprun":
        return "nmap-vulners", root
    raise ReportError.of("unknown_xml", name, root=root)


def _json(text: str, name: str) -> tuple[str, str]:
    first = text.split("\n", 1)[0] if text.startswith("{") else text
    if any(k in first for k in ('"template-id"', '"templateID"', '"template_id"')):
        return "nuclei-jsonl", ""
    if text.startswith("{"):
        try:
            json.loads(first)
        except ValueError as exc:
            if len(first) < len(text) or len(text) < 60000:
                raise ReportError.of("malformed_json_head", name, detail=str(exc)) from exc
    raise ReportError.of("unknown_json", name)


def _csv(head: bytes, name: str) -> tuple[str, str]:
    header, _ = header_of(head)
    columns = set(header)
    if len(columns) < 3:
        raise ReportError.of("no_structure", name)
    if "nvt oid" in columns and ({"ip", "hostname"} & columns):
        return "openvas-csv", ""
    has_plugin = bool({"plugin id", "plugin", "definition.id", "plugin_id"} & columns)
    has_host = bool(
        {
            "host",
            "ip address",
            "asset.display_ipv4_address",
            "asset.host_name",
            "asset.display_ipv6_address",
            "ip",
            "dns name",
        }
        & columns
    )
    if has_plugin and has_host:
        return "nessus-csv", ""
    raise ReportError.of("unknown_csv", name)
