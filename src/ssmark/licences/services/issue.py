"""Licence numbers, issuing a licence and renewing it when a renewal is approved."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from ssmark.accounts.models import Organisation
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.catalog.models import ReviewType
from ssmark.core import events
from ssmark.core.models import audit

from .. import scheme as scheme_settings
from ..models import Licence, LicenceCounter, LicenceStatus, LicenceTerm, RenewalLink, TermKind
from ..states import transition
from .access import _refuse_unpaid, _require
from .rules import (
    COUNTER_NAME,
    ERROR_ALREADY_ISSUED,
    ERROR_NO_LETTER,
    ERROR_NOT_APPROVED,
    ERROR_RENEWAL_UNLINKED,
    ERROR_REVOKED,
    ISSUERS,
    LicenceError,
)

# --- Numbering --------------------------------------------------------------------------------


def format_number(letter: str, serial: int) -> str:
    return f"{letter}{serial:0{scheme_settings.settings().number_digits}d}"


def _next_serial() -> int:
    """Take the next value of the one counter. Call inside the licence's transaction: the
    counter row stays locked until it commits (or rolls back, giving the value back)."""
    counter = LicenceCounter.objects.select_for_update().filter(name=COUNTER_NAME).first()
    if counter is None:
        # The row is made by migration 0003; recreate it if a flush removed it. Two first
        # callers at once: the loser's INSERT fails and it takes the winner's row instead.
        try:
            with transaction.atomic():
                LicenceCounter.objects.create(name=COUNTER_NAME, value=0)
        except IntegrityError:
            pass
        counter = LicenceCounter.objects.select_for_update().get(name=COUNTER_NAME)
    # Never below a serial already in use (licences loaded without the counter, e.g. imports).
    highest = Licence.objects.aggregate(m=Max("serial"))["m"] or 0
    counter.value = max(counter.value, highest) + 1
    counter.save(update_fields=["value"])
    return counter.value


def bump_counter_to(value: int) -> None:
    """Make sure the counter is at least `value` (after importing numbered licences)."""
    with transaction.atomic():
        counter, _created = LicenceCounter.objects.select_for_update().get_or_create(
            name=COUNTER_NAME
        )
        if counter.value < value:
            counter.value = value
            counter.save(update_fields=["value"])


# --- Issue and renew --------------------------------------------------------------------------


def issue_licence(*, application: Application, actor: Any, approved_on: datetime.date) -> Licence:
    """Give an approved application its licence (new) or extend its licence (renewal).

    Call after the application has been transitioned to `approved`, in the same transaction
    (the committee does this). New: the next number with the reception body's letter, valid
    from `approved_on` for the scheme's validity period. Renewal: the same number; the new
    period starts the day after the old one ends (or on `approved_on` if that is later, when
    the licence had already lapsed) and the licence is active again (a suspended one stays
    suspended). Either way a pass notice is dated `approved_on` and deemed received
    `deemed_received_days` later; `licence_issued` carries that date.

    Refused with `LicenceFeeUnpaid` (changing nothing) while the fee schedule's blocking rules
    hold it up (`fee_blocks`): a new licence until the first annual fee is paid, a renewal while
    an annual fee of the licence is overdue.
    """
    _require(actor, ISSUERS)
    conf = scheme_settings.settings()
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("reception_body", "organisation")
            .get(pk=application.pk)
        )
        if app.status != ApplicationStatus.APPROVED:
            raise LicenceError(ERROR_NOT_APPROVED)
        if LicenceTerm.objects.filter(application=app).exists():
            raise LicenceError(ERROR_ALREADY_ISSUED)
        _refuse_unpaid(app)
        notice_received_on = conf.notice_received_on(approved_on)
        if app.review_type == ReviewType.RENEWAL:
            licence = _renew(app, actor=actor, approved_on=approved_on, conf=conf)
            kind, action = TermKind.RENEWAL, "ssmark.licence.renewed"
        else:
            licence = _create(app, approved_on=approved_on, conf=conf)
            kind, action = TermKind.NEW, "ssmark.licence.issued"
        term = LicenceTerm.objects.create(
            licence=licence,
            kind=kind,
            application=app,
            approved_on=approved_on,
            valid_from=licence.valid_from,
            valid_until=licence.valid_until,
            notice_date=approved_on,
            notice_received_on=notice_received_on,
            issued_by=actor,
        )
        audit(
            actor=actor,
            action=action,
            target=licence,
            to_state=licence.status,
            data={
                "number": licence.number,
                "application": app.pk,
                "term": term.pk,
                "valid_from": licence.valid_from.isoformat(),
                "valid_until": licence.valid_until.isoformat(),
                "notice_received_on": notice_received_on.isoformat(),
            },
        )
        events.licence_issued.send(
            sender=Licence,
            licence=licence,
            application=app,
            notice_received_on=notice_received_on,
            actor=actor,
        )
    return licence


def _create(app: Application, *, approved_on: datetime.date, conf: Any) -> Licence:
    letter = app.reception_body.licence_letter
    if not letter:
        raise LicenceError(ERROR_NO_LETTER)
    return create_licence(
        organisation=app.organisation,
        service_name=app.service_name,
        reception_body=app.reception_body,
        first_granted_on=approved_on,
        valid_from=approved_on,
        valid_until=conf.valid_until(approved_on),
        scheme=app.scheme,
        application=app,
    )


def create_licence(
    *,
    organisation: Organisation,
    service_name: str,
    reception_body: Organisation,
    first_granted_on: datetime.date,
    valid_from: datetime.date,
    valid_until: datetime.date,
    status: str = LicenceStatus.ACTIVE,
    scheme: str | None = None,
    application: Application | None = None,
    serial: int | None = None,
    imported_term: bool = False,
) -> Licence:
    """The one place a licence row is made (issuing, the demo registry). Numbered by the one
    counter (`_next_serial`) unless `serial` is given (a number the seed or a register fixes),
    in which case the counter is moved past it. `imported_term` records the period as an
    imported term (no pass notice of ours: the notice dates are the period's start)."""
    with transaction.atomic():
        if serial is None:
            serial = _next_serial()
        else:
            bump_counter_to(serial)
        licence = Licence(
            number=format_number(reception_body.licence_letter, serial),
            serial=serial,
            organisation=organisation,
            service_name=service_name,
            reception_body=reception_body,
            application=application,
            status=status,
            first_granted_on=first_granted_on,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        if scheme is not None:
            licence.scheme = scheme
        licence.refresh_search_key()
        licence.save()
        if imported_term:
            LicenceTerm.objects.create(
                licence=licence,
                kind=TermKind.IMPORTED,
                approved_on=valid_from,
                valid_from=valid_from,
                valid_until=valid_until,
                notice_date=valid_from,
                notice_received_on=valid_from,
            )
    return licence


def _renew(app: Application, *, actor: Any, approved_on: datetime.date, conf: Any) -> Licence:
    link = RenewalLink.objects.filter(application=app).first()
    if link is None:
        raise LicenceError(ERROR_RENEWAL_UNLINKED)
    licence = (
        Licence.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=link.licence_id)
    )
    if licence.status == LicenceStatus.REVOKED:
        raise LicenceError(ERROR_REVOKED)
    valid_from = max(licence.valid_until + datetime.timedelta(days=1), approved_on)
    licence.valid_from = valid_from
    licence.valid_until = conf.valid_until(valid_from)
    licence.application = app
    licence.service_name = app.service_name
    licence.refresh_search_key()
    licence.save()
    if licence.status in (LicenceStatus.RENEWAL_PENDING, LicenceStatus.LAPSED):
        transition(
            licence,
            to_status=LicenceStatus.ACTIVE,
            actor=actor,
            action="ssmark.licence.renewal_approved",
        )
    return licence
