"""Renewal applications: starting one from a licence, and a renewal that ended."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import CriteriaSet, ReviewType
from ssmark.core import clock
from ssmark.core.models import audit

from .. import scheme as scheme_settings
from ..models import Licence, LicenceStatus, RenewalLink
from ..states import transition
from .access import is_holder
from .rules import (
    ENDED_APPLICATION_STATES,
    ERROR_NO_CRITERIA_SET,
    ERROR_NOT_ALLOWED,
    ERROR_RENEWAL_EXISTS,
    ERROR_RENEWAL_STATUS,
    ERROR_RENEWAL_TOO_EARLY,
    LicenceError,
    LicenceNotAllowed,
)

# --- Renewal applications ---------------------------------------------------------------------


def current_criteria_set(scheme: str, on: datetime.date) -> CriteriaSet | None:
    """The criteria set in force for `scheme` on `on` (the catalog's rule)."""
    from ssmark.catalog.services import current_set

    return current_set(scheme, on)


def open_renewal(licence: Licence) -> RenewalLink | None:
    """The renewal application in progress for the licence's current period, if any."""
    return (
        RenewalLink.objects.filter(licence=licence, renews_until=licence.valid_until)
        .exclude(application__status__in=ENDED_APPLICATION_STATES)
        .select_related("application")
        .first()
    )


def renewal_dates(licence: Licence) -> tuple[datetime.date, datetime.date]:
    """(window opens, deadline) for the licence's current period."""
    conf = scheme_settings.settings()
    return conf.renewal_window_opens(licence.valid_until), conf.renewal_deadline(
        licence.valid_until
    )


def can_start_renewal(user: Any, licence: Licence) -> bool:
    """The holder's members start renewals (the application is theirs to fill in)."""
    return is_holder(user, licence)


def start_renewal(
    *, licence: Licence, actor: Any, today: datetime.date | None = None
) -> Application:
    """Create the renewal application for the licence's current period and mark the licence
    "renewal pending" (a suspended one stays suspended).

    The application is made by `ssmark.applications.services.create_application` (review type
    renewal, the criteria set in force today, the reception body that handled the licence)
    with `renew_from` = the application the licence was last granted on: its answers are
    carried over, each marked `carried_over` ("carried over — check again"), matched by item
    code since the set in force may be newer. What that function carries over is the
    applications app's rule (answers with their web addresses, files and signed declarations,
    the files shared by stored name, not copied; audits of the last 12 months; never scan
    reports; see docs/licences.md)."""
    from ssmark.applications.services import create_application

    if not can_start_renewal(actor, licence):
        raise LicenceNotAllowed(ERROR_NOT_ALLOWED)
    today = today or clock.today()
    with transaction.atomic():
        lic = (
            Licence.objects.select_for_update(of=("self",))
            .select_related("reception_body", "application")
            .get(pk=licence.pk)
        )
        if lic.status not in (
            LicenceStatus.ACTIVE,
            LicenceStatus.RENEWAL_PENDING,
            LicenceStatus.SUSPENDED,
        ):
            raise LicenceError(ERROR_RENEWAL_STATUS)
        if open_renewal(lic) is not None:
            raise LicenceError(ERROR_RENEWAL_EXISTS)
        opens, _deadline = renewal_dates(lic)
        if today < opens:
            raise LicenceError(ERROR_RENEWAL_TOO_EARLY, {"date": opens.isoformat()})
        if current_criteria_set(lic.scheme, today) is None:
            raise LicenceError(ERROR_NO_CRITERIA_SET)
        previous = lic.application
        app = create_application(
            actor=actor,
            service_name=lic.service_name,
            reception_body=lic.reception_body,
            scheme=lic.scheme,
            review_type=ReviewType.RENEWAL,
            responsible_manager=previous.responsible_manager if previous else "",
            responsible_manager_email=previous.responsible_manager_email if previous else "",
            pim_manager=previous.pim_manager if previous else "",
            pim_manager_email=previous.pim_manager_email if previous else "",
            renew_from=previous,
            today=today,
        )
        RenewalLink.objects.create(application=app, licence=lic, renews_until=lic.valid_until)
        audit(
            actor=actor,
            action="ssmark.licence.renewal_started",
            target=lic,
            data={
                "application": app.pk,
                "renews_until": lic.valid_until.isoformat(),
                "renew_from": previous.pk if previous else None,
                "answers_carried_over": app.answers.filter(carried_over=True).count(),
            },
        )
        if lic.status == LicenceStatus.ACTIVE:
            transition(
                lic,
                to_status=LicenceStatus.RENEWAL_PENDING,
                actor=actor,
                action="ssmark.licence.renewal_pending",
            )
    return app


def renewal_ended(*, application: Application, actor: Any) -> None:
    """A renewal application was withdrawn or rejected: its licence is active again (until it
    lapses at the end of its period, unless another renewal is started)."""
    link = RenewalLink.objects.filter(application=application).first()
    if link is None:
        return
    with transaction.atomic():
        lic = Licence.objects.select_for_update().get(pk=link.licence_id)
        if lic.status == LicenceStatus.RENEWAL_PENDING and open_renewal(lic) is None:
            transition(
                lic,
                to_status=LicenceStatus.ACTIVE,
                actor=actor,
                action="ssmark.licence.renewal_ended",
                reason=str(ApplicationStatus(application.status).label),
            )
