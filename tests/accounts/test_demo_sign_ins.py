"""The demo sign-in table (`ssmark demo`, `make run`) labels each user with the roles and the
organisation stored for them: jimukyoku is secretariat staff of the review committee's
secretariat (at TELESA), not of the promotion council's."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from ssmark.accounts import demo
from ssmark.accounts.models import Role, SecretariatOf, User

pytestmark = pytest.mark.django_db


def _table(language: str) -> dict[str, str]:
    demo.load(io.StringIO())
    out = io.StringIO()
    with translation.override(language):
        demo.print_logins(out)
    return {
        line.split()[0]: line
        for line in out.getvalue().splitlines()
        if line.startswith("  ") and line.split()[0] in {u[0] for u in demo.DEMO_USERS}
    }


def test_jimukyoku_is_shown_at_the_committee_secretariat() -> None:
    rows = _table("ja")
    jimukyoku = User.objects.select_related("organisation").get(username="jimukyoku")
    assert jimukyoku.role_set() == {Role.SECRETARIAT}
    assert jimukyoku.organisation.secretariat_of == SecretariatOf.COMMITTEE
    line = rows["jimukyoku"]
    assert "事務局員" in line and jimukyoku.organisation.name in line
    assert "審査委員会" in line and "推進協議会" not in line


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_row_shows_the_stored_roles_and_organisation(language: str) -> None:
    rows = _table(language)
    assert set(rows) == {u[0] for u in demo.DEMO_USERS}
    with translation.override(language):
        for user in User.objects.filter(username__in=rows).select_related("organisation"):
            labels = [str(role.label) for role in Role if role in user.role_set()]
            assert labels, user.username
            assert ", ".join(labels) in rows[user.username]
            assert rows[user.username].rstrip().endswith(user.organisation.name)
