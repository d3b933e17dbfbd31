"""Fixtures for the first review: the seed catalog, and applications submitted to JAIPA."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ssmark.accounts.models import Organisation, User
from ssmark.applications import services as app_services
from ssmark.applications.assessment import is_scan_item
from ssmark.applications.models import Application, Claim, ItemAnswer
from ssmark.catalog.models import CriteriaSet, Item, ItemKind
from ssmark.catalog.services import sync_sets
from ssmark.criteria import discover
from ssmark.reviews import services
from ssmark.reviews.models import FindingValue, ReviewFinding
from tests.applications.factories import full_audit


@pytest.fixture
def catalog(db: None) -> CriteriaSet:
    sync_sets(discover())
    return CriteriaSet.objects.get(set_id="isp-2010")


HOSTS = {
    "dns": "192.0.2.53",
    "mail": "192.0.2.25",
    "web": "192.0.2.80",
    "auth": "192.0.2.18",
    "router": "192.0.2.1",
}


def clean_scan_report() -> bytes:
    """A Nuclei JSON Lines report from now: every role's host scanned, nothing to fix."""
    when = datetime.datetime.now(datetime.UTC).isoformat()
    lines = [
        json.dumps(
            {
                "template-id": f"info-{role}",
                "info": {"name": f"check {role}"},
                "host": ip,
                "ip": ip,
                "port": "443",
                "type": "http",
                "timestamp": when,
            }
        )
        for role, ip in HOSTS.items()
    ]
    return ("\n".join(lines) + "\n").encode()


def upload_clean_scan(application: Application, user: User) -> None:
    app_services.upload_scan_report(
        actor=user,
        application=application,
        upload=SimpleUploadedFile("scan.jsonl", clean_scan_report(), "application/json"),
    )
    app_services.set_host_roles(
        actor=user, application=application, roles={ip: [role] for role, ip in HOSTS.items()}
    )


def answer_everything(
    application: Application, user: User, *, grade: int = 5, scan: bool = True
) -> None:
    """The applicant claims every item met (graded items: `grade`), in one go. With `scan`,
    a clean scan report is uploaded first (claiming 2-1-1 met needs one); without, 2-1-1 is
    claimed not met."""
    if scan:
        upload_clean_scan(application, user)
    full_audit(application, user)  # claiming 1-1-2 met needs the audit items covered
    items = Item.objects.filter(criteria_set_id=application.criteria_set_id)

    def claim(item: Item) -> str:
        if item.kind_for(application.review_type) == ItemKind.GRADED:
            return ""
        return Claim.UNMET if is_scan_item(item) and not scan else Claim.MET

    ItemAnswer.objects.bulk_create(
        [
            ItemAnswer(
                application=application,
                item=item,
                claim=claim(item),
                grade=grade if item.kind_for(application.review_type) == ItemKind.GRADED else None,
                explanation=f"How {item.code} is met.",
                updated_by=user,
                version=1,
            )
            for item in items
        ]
    )


@pytest.fixture
def submitted(
    catalog: CriteriaSet, users: dict[str, User], orgs: dict[str, Organisation]
) -> Callable[..., Application]:
    """`submitted()` → a new application of Sample Net (by alice), submitted to JAIPA."""

    def make(
        service: str = "Sample Net Hikari",
        body: str = "JAIPA",
        by: str = "alice",
        scan: bool = True,
    ) -> Application:
        actor = users[by]
        application = app_services.create_application(
            actor=actor, service_name=service, reception_body=orgs[body]
        )
        answer_everything(application, actor, scan=scan)
        app_services.declare_no_incidents(actor=actor, application=application)
        app_services.submit(actor=actor, application=application)
        application.refresh_from_db()
        return application

    return make


@pytest.fixture
def in_review(submitted: Callable[..., Application], users: dict[str, User]) -> Application:
    """A Sample Net application at JAIPA, assigned by rin to ren, in first review."""
    application = submitted()
    services.assign_reviewer(actor=users["rin"], application=application, reviewer=users["ren"])
    application.refresh_from_db()
    return application


def find_all_met(application: Application, user: User, *, grade: int = 5) -> None:
    """Test setup: the reviewer's findings say every item is met (graded items: `grade`)."""
    for finding in ReviewFinding.objects.filter(application=application).select_related("item"):
        graded = finding.item.kind_for(application.review_type) == ItemKind.GRADED
        finding.finding = "" if graded else FindingValue.MET
        finding.grade = grade if graded else None
        finding.version += 1
        finding.updated_by = user
        finding.save()


def item(application: Application, code: str) -> Item:
    return Item.objects.get(criteria_set_id=application.criteria_set_id, code=code)


def record(application: Application, user: User, code: str, **kwargs: Any) -> ReviewFinding:
    it = item(application, code)
    current = ReviewFinding.objects.get(application=application, item=it)
    kwargs.setdefault("expected_version", current.version)
    return services.record_finding(actor=user, application=application, item=it, **kwargs)


class Helpers:
    answer_everything = staticmethod(answer_everything)
    find_all_met = staticmethod(find_all_met)
    item = staticmethod(item)
    record = staticmethod(record)


@pytest.fixture
def rh() -> type[Helpers]:
    """Review-test helpers (test modules here are not a package, so no imports between them)."""
    return Helpers
