"""Fixtures for the applicant side: a loaded catalog, applications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from ssmark.accounts.models import Organisation, User
from ssmark.applications import services
from ssmark.applications.models import Application
from ssmark.catalog.models import CriteriaSet


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


@pytest.fixture
def submit_now(users: dict[str, User]) -> Callable[..., Application]:
    """`submit_now(application)`: declare no incidents and submit, as alice."""

    def do(application: Application, by: str = "alice") -> Application:
        if not services.incidents_declared(application):
            services.declare_no_incidents(actor=users[by], application=application)
        services.submit(actor=users[by], application=application)
        application.refresh_from_db()
        return application

    return do
