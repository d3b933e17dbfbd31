"""Receivers of the domain events (ssmark.core.events): invoices are raised at the events the
fee schedule names. They run inside the sender's transaction and only write rows."""

from __future__ import annotations

import datetime
from typing import Any

from ssmark.applications.models import Application
from ssmark.catalog.models import ReviewType
from ssmark.licences.models import Licence

from . import services
from .schedule import schedule_for


def on_application_submitted(
    sender: Any,
    *,
    application: Application,
    resubmission: bool = False,
    actor: Any = None,
    **kwargs: Any,
) -> None:
    # The review fee is due by the (first) submission; a resubmission after a return raises
    # nothing (raise_review_fee is also idempotent per application).
    if resubmission:
        return
    services.raise_review_fee(application=application, actor=actor)


def on_committee_decided(
    sender: Any, *, application: Application, decision: str, actor: Any = None, **kwargs: Any
) -> None:
    # Only when the licence waits for the first annual fee: invoice it at the approval, so it
    # can be paid before the licence is issued.
    if decision != "approved" or application.review_type != ReviewType.NEW:
        return
    today = services.local_today()
    if schedule_for(today).blocks(application.scheme, "licence_not_issued_until_annual_fee_paid"):
        services.raise_first_annual_fee(application=application, start=today, actor=actor)


def on_licence_issued(
    sender: Any,
    *,
    licence: Licence,
    application: Application | None = None,
    notice_received_on: datetime.date | None = None,
    actor: Any = None,
    **kwargs: Any,
) -> None:
    # The first annual fee: due within one month counted from the pass notice's receipt.
    # A renewal keeps the licence's yearly cycle (raised on each anniversary).
    application = application or licence.application
    if application is None or application.review_type != ReviewType.NEW:
        return
    services.raise_first_annual_fee(
        application=application,
        licence=licence,
        start=notice_received_on or services.local_today(),
        actor=actor,
    )
