"""State tables: the one shape for every stateful model's allowed transitions.

Each stateful model has a `states.py` beside it (applications, licences, committee) with its
`StateTable` and the one function that changes the state (it calls `table.check()`, then saves
and audits). The tables are registered here by name, so one test can check that every pair not
in a table is refused, and `ssmark state_diagram` can write them to docs/states.md as Mermaid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .refusals import Refusal

TABLES: dict[str, StateTable] = {}


@dataclass(frozen=True)
class StateTable:
    """`transitions[from]` = the states reachable from `from` in one step."""

    name: str
    states: tuple[str, ...]
    transitions: Mapping[str, frozenset[str]]
    initial: str
    #: makes the refusal for an illegal step: refusal(from_state, to_state)
    refusal: Callable[[str, str], Refusal]

    def allows(self, from_state: str, to_state: str) -> bool:
        return to_state in self.transitions.get(from_state, frozenset())

    def check(self, from_state: str, to_state: str) -> None:
        """Raise the table's refusal (a Refusal, usually a WrongState) unless `from_state` → `to_state` exists."""
        if not self.allows(from_state, to_state):
            raise self.refusal(from_state, to_state)

    def pairs(self) -> Iterable[tuple[str, str]]:
        for from_state in self.states:
            for to_state in sorted(self.transitions.get(from_state, frozenset())):
                yield from_state, to_state

    def mermaid(self) -> str:
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        lines += [f"    {a} --> {b}" for a, b in self.pairs()]
        lines += [f"    {s} --> [*]" for s in self.states if not self.transitions.get(s)]
        return "\n".join(lines)


def register(
    name: str,
    choices: Any,
    transitions: Mapping[str, frozenset[str]],
    *,
    initial: str,
    refusal: Callable[[str, str], Refusal],
) -> StateTable:
    """Make and register the table of a TextChoices enum `choices`."""
    states = tuple(str(value) for value in choices.values)
    unknown = {s for pair in transitions.items() for s in {pair[0], *pair[1]}} - set(states)
    if unknown:
        raise ValueError(f"{name}: unknown states {sorted(unknown)}")
    table = StateTable(
        name=name,
        states=states,
        transitions={str(k): frozenset(str(v) for v in vs) for k, vs in transitions.items()},
        initial=str(initial),
        refusal=refusal,
    )
    TABLES[name] = table
    return table


# The modules that register tables (imported by load_all, so every table is known).
STATE_MODULES = (
    "ssmark.applications.states",
    "ssmark.committee.states",
    "ssmark.licences.states",
)


def load_all() -> dict[str, StateTable]:
    import importlib

    for module in STATE_MODULES:
        importlib.import_module(module)
    return TABLES


def diagrams() -> str:
    """docs/states.md: every registered table as a Mermaid state diagram (generated)."""
    out = [
        "# State diagrams",
        "",
        "Generated from the state tables (`states.py` beside each model) by",
        "`ssmark state_diagram`; tests/core/test_state_tables.py fails when this file is stale.",
    ]
    for name in sorted(TABLES):
        out += ["", f"## {name}", "", "```mermaid", TABLES[name].mermaid(), "```"]
    return "\n".join(out) + "\n"
