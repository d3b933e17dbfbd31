"""Signal receivers: a renewal application that ends without approval puts its licence back
from "renewal pending" to "active" (it then lapses at the end of its period unless another
renewal is started in time)."""

from __future__ import annotations

from typing import Any

from ssmark.applications.models import Application


def _ended(application: Application, actor: Any) -> None:
    if not application.is_renewal:
        return
    from .services import renewal_ended

    renewal_ended(application=application, actor=actor)


def on_application_withdrawn(
    sender: Any, *, application: Application, actor: Any = None, **kwargs: Any
) -> None:
    _ended(application, actor)


def on_first_review_decided(
    sender: Any, *, application: Application, passed: bool, actor: Any = None, **kwargs: Any
) -> None:
    if not passed:
        _ended(application, actor)


def on_committee_decided(
    sender: Any, *, application: Application, decision: str, actor: Any = None, **kwargs: Any
) -> None:
    if decision == "rejected":
        _ended(application, actor)
