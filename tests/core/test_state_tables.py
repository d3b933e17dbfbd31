"""Every stateful model has one table (states.py beside it): each step not in it is refused,
each step in it is allowed, and docs/states.md is the diagram of exactly these tables."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from ssmark.core import statetables
from ssmark.core.refusals import Refusal

TABLES = statetables.load_all()
DOC = Path(__file__).resolve().parents[2] / "docs" / "states.md"


def test_the_stateful_models_have_tables() -> None:
    assert {"Application", "Licence", "IncidentReport", "Session"} <= set(TABLES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_pair_not_in_the_table_is_refused(name: str) -> None:
    table = TABLES[name]
    allowed = set(table.pairs())
    assert allowed, "a table with no step"
    for from_state, to_state in itertools.product(table.states, repeat=2):
        if (from_state, to_state) in allowed:
            table.check(from_state, to_state)  # no refusal
            continue
        with pytest.raises(Refusal) as refused:
            table.check(from_state, to_state)
        assert refused.value.text, (from_state, to_state)


def test_the_licence_table_is_the_scheme_s() -> None:
    """Written out, not read from the code: a revoked licence stays revoked; a lapsed one
    comes back only by a late-approved renewal."""
    licence = TABLES["Licence"]
    assert not [b for a, b in licence.pairs() if a == "revoked"]
    assert [b for a, b in licence.pairs() if a == "lapsed"] == ["active"]
    assert licence.allows("active", "renewal_pending")
    assert not licence.allows("renewal_pending", "renewal_pending")


def test_the_committed_diagram_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == statetables.diagrams(), (
        "docs/states.md is stale: run `ssmark state_diagram`"
    )


@pytest.mark.django_db
def test_the_licence_transition_refuses_a_step_not_in_the_table(orgs) -> None:
    from ssmark.licences.models import Licence, LicenceStatus, StatusChange
    from ssmark.licences.states import LicenceError, transition
    from tests.fees import factories

    licence = factories.licence(orgs, status=LicenceStatus.REVOKED)
    with pytest.raises(LicenceError):
        transition(licence, to_status=LicenceStatus.ACTIVE, actor=None, action="t")
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.REVOKED
    assert not StatusChange.objects.exists()
