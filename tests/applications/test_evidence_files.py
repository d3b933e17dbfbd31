"""Evidence files: content sniffed (never trusted from the name), size limit, SHA-256,
stored outside the web root, served only as an attachment with the sniffed type."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings

from ssmark.applications import services, sniff
from ssmark.applications.models import Evidence
from tests.applications.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes, upload

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, "application/pdf"),
        (PNG_BYTES, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, "image/gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image/webp"),
        (docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (OLE2 + b"\x00" * 100 + "WordDocument".encode("utf-16-le"), "application/msword"),
        (OLE2 + b"\x00" * 100 + "Workbook".encode("utf-16-le"), "application/vnd.ms-excel"),
    ],
)
def test_accepted_types_are_recognised_by_content(content, expected):
    found = sniff.sniff(io.BytesIO(content))
    assert found is not None and found.content_type == expected


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (EXE_BYTES, "a Windows program (EXE/DLL)"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "a Linux program (ELF)"),
        (b"<!DOCTYPE html><html><script>alert(1)</script>", "an HTML page"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "an XML or SVG file"),
        (b"", "an empty file"),
        (
            OLE2 + b"\x00" * 100,
            "an OLE2 compound file that is not a Word or Excel document (e.g. an installer)",
        ),
    ],
)
def test_refused_types_are_described(content, what):
    handle = io.BytesIO(content)
    assert sniff.sniff(handle) is None
    assert str(sniff.describe(handle)) == str(sniff._(what))


def test_zip_without_content_types_is_not_office():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", "x")
    assert sniff.sniff(buf) is None


def test_a_pdf_that_is_really_an_exe_is_refused_and_nothing_kept(draft, users):
    before = set(Path(settings.EVIDENCE_ROOT).rglob("*"))
    with pytest.raises(services.ApplicationError) as exc:
        services.add_file_evidence(
            actor=users["alice"],
            application=draft,
            item_code="1-1-1",
            upload=upload("security-policy.pdf", EXE_BYTES),
        )
    message = exc.value.text
    assert "security-policy.pdf" in message
    assert str(sniff._("a Windows program (EXE/DLL)")) in message
    assert not Evidence.objects.exists()
    assert {p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()} == {
        p for p in before if p.is_file()
    }


def test_size_limit(draft, users, settings):
    settings.MAX_UPLOAD_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(services.ApplicationError) as exc:
        services.add_file_evidence(
            actor=users["alice"],
            application=draft,
            item_code="1-1-1",
            upload=upload("big.pdf", big),
        )
    assert exc.value.text == str(services.ERROR_FILE_TOO_LARGE) % {"name": "big.pdf", "limit": 1}
    assert not Evidence.objects.exists()


def test_stored_with_sha256_outside_static_under_a_random_name(draft, users):
    ev = services.add_file_evidence(
        actor=users["alice"],
        application=draft,
        item_code="1-1-1",
        upload=upload("../../etc/基本方針.pdf", PDF_BYTES),
    )
    assert ev.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert ev.size == len(PDF_BYTES) and ev.content_type == "application/pdf"
    assert ev.original_name == "基本方針.pdf"
    path = Path(ev.file.path).resolve()
    assert path.is_relative_to(Path(settings.EVIDENCE_ROOT).resolve())
    assert "基本方針" not in path.name and path.suffix == ".pdf"
    assert path.read_bytes() == PDF_BYTES


def test_download_is_an_attachment_with_sniffed_type_and_nosniff(draft, users, client_for):
    ev = services.add_file_evidence(
        actor=users["alice"],
        application=draft,
        item_code="1-1-1",
        upload=upload("screenshot.pdf", PNG_BYTES, "application/pdf"),
    )
    response = client_for("bob").get(f"/applications/{draft.pk}/files/evidence/{ev.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG_BYTES


def test_upload_through_the_page_and_xhr_errors(draft, client_for):
    client = client_for("alice")
    url = f"/applications/{draft.pk}/items/1-1-1/evidence/"
    response = client.post(url, {"kind": "file", "file": upload("p.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert Evidence.objects.filter(answer__application=draft).count() == 1
    response = client.post(
        url,
        {"kind": "file", "file": upload("x.pdf", EXE_BYTES)},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 400
    assert "x.pdf" in response.content.decode()
    response = client.post(
        url,
        {"kind": "file", "file": upload("y.pdf", PDF_BYTES)},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 204
    assert response["X-Location"].endswith(f"/applications/{draft.pk}/?open=1-1-1#item-1-1-1")
    assert Evidence.objects.filter(answer__application=draft).count() == 2
