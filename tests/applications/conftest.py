"""Fixtures for the applicant side: a loaded catalog, applications, uploads."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ssmark.accounts.models import Organisation, User
from ssmark.applications import services
from ssmark.applications.models import Application
from ssmark.catalog.models import CriteriaSet

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


@pytest.fixture
def catalog(db: None) -> CriteriaSet:
    call_command("load_catalog", verbosity=0)
    return CriteriaSet.objects.get(set_id="isp-2010")


@pytest.fixture
def new_application(
    catalog: CriteriaSet, users: dict[str, User], orgs: dict[str, Organisation]
) -> Callable[..., Application]:
    def make(by: str = "alice", body: str = "JAIPA", **kwargs: Any) -> Application:
        defaults: dict[str, Any] = {
            "service_name": "サンプルネット光",
            "responsible_manager": "山田 太郎",
            "responsible_manager_email": "yamada@sample-net.example",
            "pim_manager": "佐藤 花子",
            "pim_manager_email": "sato@sample-net.example",
        }
        defaults.update(kwargs)
        return services.create_application(actor=users[by], reception_body=orgs[body], **defaults)

    return make


@pytest.fixture
def draft(new_application: Callable[..., Application]) -> Application:
    return new_application()


def submitted_app(application: Application, user: User) -> Application:
    services.declare_no_incidents(actor=user, application=application)
    services.submit(actor=user, application=application)
    application.refresh_from_db()
    return application
