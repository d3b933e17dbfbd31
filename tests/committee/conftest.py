"""Fixtures for the committee tests: applications that passed the first review, sessions."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from ssmark.accounts.models import Organisation, User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet, Scheme
from ssmark.committee.models import Session, SessionStatus


@pytest.fixture
def criteria_set(db: None) -> CriteriaSet:
    return CriteriaSet.objects.create(
        set_id="test-isp",
        title="テスト基準",
        title_en="Test criteria",
        scheme=Scheme.ISP,
        applies_from=datetime.date(2010, 3, 1),
        source_sha256="0" * 64,
        definition={},
    )


@pytest.fixture
def make_application(
    orgs: dict[str, Organisation], users: dict[str, User], criteria_set: CriteriaSet
) -> Callable[..., Application]:
    """`make_application()` gives an application of Sample Net (received by JAIPA) in
    first_review_passed; pass `status`, `reception`, `org`, `service_name` to vary it."""
    counter = iter(range(1, 10_000))

    def make(
        *,
        status: str = ApplicationStatus.FIRST_REVIEW_PASSED,
        reception: str = "JAIPA",
        org: str = "sample-net",
        service_name: str | None = None,
    ) -> Application:
        return Application.objects.create(
            organisation=orgs[org],
            reception_body=orgs[reception],
            criteria_set=criteria_set,
            service_name=service_name or f"サンプル光 {next(counter)}",
            status=status,
            created_by=users["alice"],
            submitted_on=datetime.date(2026, 9, 1),
        )

    return make


@pytest.fixture
def make_session(users: dict[str, User]) -> Callable[..., Session]:
    """`make_session(date, status=...)`: a session with kei present and chairing."""

    def make(date: datetime.date, status: str = SessionStatus.PLANNED) -> Session:
        session = Session.objects.create(
            date=date,
            place="会議室A",
            status=status,
            chair=users["kei"],
            created_by=users["sue"],
        )
        session.members.set([users["kei"]])
        return session

    return make
