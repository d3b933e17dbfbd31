"""Point 9: one application's files share a storage quota (SSMARK_APPLICATION_QUOTA_MB); a file
that would exceed it is refused with a clear message and nothing is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssmark.applications import services
from ssmark.applications.models import Evidence
from ssmark.applications.services.errors import ERROR_QUOTA_REACHED
from tests.applications.conftest import catalog, draft, new_application  # noqa: F401 - fixtures
from tests.applications.factories import PDF_BYTES, upload

MB = 1024 * 1024


def _add(application, user, name: str, size_mb: float):
    content = PDF_BYTES + b"0" * int(size_mb * MB)
    return services.add_file_evidence(
        actor=user, application=application, item_code="1-1-1", upload=upload(name, content)
    )


def test_files_beyond_the_quota_are_refused_with_a_clear_message(draft, users, settings) -> None:  # noqa: F811
    settings.SSMARK_APPLICATION_QUOTA_MB = 2
    settings.MAX_UPLOAD_MB = 5
    _add(draft, users["alice"], "policy.pdf", 1.2)
    files_before = {p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()}
    with pytest.raises(services.ApplicationError) as exc:
        _add(draft, users["alice"], "network-diagram.pdf", 1.2)
    message = exc.value.text
    assert "network-diagram.pdf" in message and "2 MB" in message
    assert str(ERROR_QUOTA_REACHED).split("%(quota)s")[1][:3] in message  # the sentence itself
    assert Evidence.objects.count() == 1
    assert {p for p in Path(settings.EVIDENCE_ROOT).rglob("*") if p.is_file()} == files_before
    # A smaller file still fits.
    _add(draft, users["alice"], "small.pdf", 0.5)
    assert Evidence.objects.count() == 2
