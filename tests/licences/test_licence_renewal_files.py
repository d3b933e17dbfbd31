"""start_renewal carries the evidence files of the application the licence was granted on over
to the renewal draft (the same stored files, no copies); scan reports are not carried over."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ssmark.applications import services as applications
from ssmark.applications.models import (
    Claim,
    Evidence,
    EvidenceKind,
    ItemAnswer,
    ScanReport,
)
from ssmark.applications.storage import new_name
from ssmark.catalog.models import Item
from ssmark.licences.services import start_renewal

pytestmark = pytest.mark.django_db

IN_WINDOW = datetime.date(2027, 6, 1)
PDF = b"%PDF-1.4\n%%EOF\n"


def _stored(app_id: int, folder: str) -> str:
    return default_storage.save(new_name(app_id, folder, ".pdf"), ContentFile(PDF))


def test_renewal_draft_shares_the_granted_applications_files(
    licence, users, client_for, django_capture_on_commit_callbacks
):
    previous = licence.application
    item = Item.objects.get(criteria_set=previous.criteria_set, code="1-1-1")
    answer = ItemAnswer.objects.create(application=previous, item=item, claim=Claim.MET)
    original = Evidence.objects.create(
        answer=answer,
        kind=EvidenceKind.FILE,
        file=_stored(previous.pk, "evidence"),
        original_name="基本方針.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="a" * 64,
        uploaded_by=users["alice"],
    )
    ScanReport.objects.create(
        application=previous,
        file=_stored(previous.pk, "scans"),
        original_name="scan.xml",
        uploaded_by=users["alice"],
    )

    renewal = start_renewal(licence=licence, actor=users["bob"], today=IN_WINDOW)

    carried = Evidence.objects.get(answer__application=renewal)
    assert carried.carried_over and carried.file.name == original.file.name
    assert (carried.original_name, carried.size, carried.sha256) == (
        "基本方針.pdf",
        len(PDF),
        "a" * 64,
    )
    assert not ScanReport.objects.filter(application=renewal).exists()
    response = client_for("alice").get(f"/applications/{renewal.pk}/files/evidence/{carried.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    with django_capture_on_commit_callbacks(execute=True):
        applications.remove_evidence(actor=users["bob"], application=renewal, evidence=carried)
    assert default_storage.exists(original.file.name)
    assert Evidence.objects.filter(pk=original.pk).exists()
