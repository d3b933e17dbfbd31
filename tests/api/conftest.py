"""Fixtures for the API: a token per named user, a client that sends it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from ssmark.accounts.models import User
from ssmark.api.tokens import create_token
from tests.applications.conftest import catalog, draft, new_application, submit_now
from tests.licences.conftest import _signing_key, criteria_set, issue, licence, make_application

__all__ = [
    "_signing_key",
    "catalog",
    "criteria_set",
    "draft",
    "issue",
    "licence",
    "make_application",
    "new_application",
    "submit_now",
]


@pytest.fixture(autouse=True)
def _api_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSMARK_API_RATE_PER_MINUTE = 100000


@pytest.fixture
def token_for(users: dict[str, User]) -> Callable[..., str]:
    """`token_for("alice", read_only=False)`: a new token of the named user."""

    def make(name: str, read_only: bool = False) -> str:
        user = users[name]
        return create_token(actor=user, user=user, name="test", read_only=read_only).secret

    return make


@pytest.fixture
def api_for(token_for: Callable[..., str]) -> Callable[..., Client]:
    """`api_for("alice")`: a test client sending alice's token (English answers)."""

    def make(name: str, read_only: bool = False, language: str = "en") -> Client:
        token = token_for(name, read_only=read_only)
        return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": language})

    return make
