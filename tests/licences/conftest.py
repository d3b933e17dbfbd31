"""Fixtures for the licence tests: approved applications and issued licences."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from ssmark.accounts.models import Organisation, User
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import Category, CriteriaSet, Item, ItemKind, ReviewType, Scheme
from ssmark.licences import signing
from ssmark.licences.models import Licence
from ssmark.licences.services import issue_licence

APPROVED_ON = datetime.date(2026, 1, 10)


@pytest.fixture(autouse=True)
def _signing_key(tmp_path_factory: pytest.TempPathFactory, settings):
    """Every test gets its own signing key file (never the developer's var/ key)."""
    path = tmp_path_factory.mktemp("key") / "signing.pem"
    setattr(settings, signing.ENV_KEY_FILE, str(path))
    signing.reset_cache()
    signing._create_key(path)
    yield path
    signing.reset_cache()


@pytest.fixture
def criteria_set(db: None) -> CriteriaSet:
    cs = CriteriaSet.objects.create(
        set_id="test-licences-isp",
        title="テスト基準",
        title_en="Test criteria",
        scheme=Scheme.ISP,
        applies_from=datetime.date(2010, 3, 1),
        source_sha256="0" * 64,
        definition={},
    )
    cat = Category.objects.create(
        criteria_set=cs, code="1", title="方針", title_en="Policy", position=1
    )
    for pos, code in enumerate(["1-1-1", "1-1-2", "2-1-1"], start=1):
        Item.objects.create(
            criteria_set=cs,
            category=cat,
            code=code,
            position=pos,
            text=f"項目 {code}",
            text_en=f"Item {code}",
            new_kind=ItemKind.MANDATORY,
            renewal_kind=ItemKind.MANDATORY,
        )
    return cs


@pytest.fixture
def make_application(
    orgs: dict[str, Organisation], users: dict[str, User], criteria_set: CriteriaSet
) -> Callable[..., Application]:
    """An application of Sample Net received by JAIPA, approved by the committee."""
    counter = iter(range(1, 100_000))

    def make(
        *,
        reception: str = "JAIPA",
        org: str = "sample-net",
        service_name: str | None = None,
        status: str = ApplicationStatus.APPROVED,
        review_type: str = ReviewType.NEW,
    ) -> Application:
        return Application.objects.create(
            organisation=orgs[org],
            reception_body=orgs[reception],
            criteria_set=criteria_set,
            service_name=service_name or f"サンプル光 {next(counter)}",
            status=status,
            review_type=review_type,
            created_by=users["alice"],
            responsible_manager="山田 太郎",
            submitted_on=datetime.date(2025, 11, 1),
        )

    return make


@pytest.fixture
def issue(
    make_application: Callable[..., Application], users: dict[str, User]
) -> Callable[..., Licence]:
    """`issue(reception="TELESA", approved_on=..., **application kwargs)` gives a new licence."""

    def make(*, approved_on: datetime.date = APPROVED_ON, **kwargs: Any) -> Licence:
        application = make_application(**kwargs)
        return issue_licence(application=application, actor=users["sue"], approved_on=approved_on)

    return make


@pytest.fixture
def licence(issue: Callable[..., Licence]) -> Licence:
    """Sample Net's licence J0001 (JAIPA), valid 2026-01-10 to 2028-01-09."""
    return issue(service_name="サンプル光")
