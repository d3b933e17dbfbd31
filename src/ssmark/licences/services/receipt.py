"""The pass notice's receipt date (issue 9, point 9).

The seed counts the annual mark usage fee's month 「合格通知書を受け取った日から起算して」: from the
day the notice is received. The holder confirms receipt in the app, and that day is the receipt
date; only when nobody confirms by the deemed date (the notice date plus
`pass_notice.deemed_received_days`, scheme.yaml) does that deemed date apply. The first annual
fee of a new licence is invoiced once the receipt date is fixed, due one month from it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ssmark.catalog.models import ReviewType
from ssmark.core import clock
from ssmark.core.models import audit

from ..models import Licence, LicenceTerm, TermKind
from .access import is_holder
from .rules import ERROR_NOT_ALLOWED, LicenceError

ERROR_NO_NOTICE = _("There is no pass notice to confirm for this licence.")
ERROR_RECEIPT_CONFIRMED = _("Receipt of the pass notice was already confirmed on %(date)s.")
ERROR_RECEIPT_DEEMED = _(
    "The pass notice is deemed received on %(date)s: that day can no longer be changed."
)


def notice_to_confirm(licence: Licence) -> LicenceTerm | None:
    """The latest pass notice of `licence` (a granted term, not an imported record)."""
    return (
        LicenceTerm.objects.filter(licence=licence, kind__in=[TermKind.NEW, TermKind.RENEWAL])
        .order_by("-valid_from", "-id")
        .first()
    )


def receipt_open(term: LicenceTerm | None, today: datetime.date | None = None) -> bool:
    """May the holder still confirm receipt of `term`'s notice (before its deemed date)?"""
    today = today or clock.today()
    return (
        term is not None and term.receipt_confirmed_on is None and today <= term.notice_received_on
    )


def confirm_notice_receipt(*, actor: Any, licence: Licence) -> LicenceTerm:
    """The holder confirms, today, that the pass notice was received: today becomes the receipt
    date the first annual fee counts from (a new licence's fee is invoiced now)."""
    if not is_holder(actor, licence):
        raise LicenceError(ERROR_NOT_ALLOWED)
    today = clock.today()
    with transaction.atomic():
        latest = notice_to_confirm(licence)
        if latest is None:
            raise LicenceError(ERROR_NO_NOTICE)
        term = LicenceTerm.objects.select_for_update().get(pk=latest.pk)
        if term.receipt_confirmed_on is not None:
            raise LicenceError(
                str(ERROR_RECEIPT_CONFIRMED % {"date": term.receipt_confirmed_on.isoformat()})
            )
        if today > term.notice_received_on:
            raise LicenceError(
                str(ERROR_RECEIPT_DEEMED % {"date": term.notice_received_on.isoformat()})
            )
        deemed = term.notice_received_on
        term.notice_received_on = today
        term.receipt_confirmed_on = today
        term.save(update_fields=["notice_received_on", "receipt_confirmed_on"])
        audit(
            actor=actor,
            action="ssmark.licence.notice_receipt_confirmed",
            target=licence,
            data={"term": term.pk, "received_on": today.isoformat(), "deemed": deemed.isoformat()},
        )
        _invoice_first_annual_fee(term, licence, actor=actor)
    return term


def fix_deemed_receipts(today: datetime.date | None = None) -> int:
    """The daily fallback: new licences whose notice nobody confirmed by its deemed date get
    their first annual fee, due one month from the deemed date. Safe to run twice."""
    today = today or clock.today()
    raised = 0
    terms = LicenceTerm.objects.filter(
        kind=TermKind.NEW,
        receipt_confirmed_on__isnull=True,
        notice_received_on__lte=today,
        application__isnull=False,
    ).select_related("licence", "application")
    for term in terms:
        with transaction.atomic():
            raised += _invoice_first_annual_fee(term, term.licence, actor=None)
    return raised


def _invoice_first_annual_fee(term: LicenceTerm, licence: Licence, *, actor: Any) -> int:
    """Explicit upward call (as the committee makes it): fees owns invoices, licences owns the
    receipt date. Once per application (raise_first_annual_fee is idempotent)."""
    from ssmark.fees.services import raise_first_annual_fee

    application = term.application
    if application is None or application.review_type != ReviewType.NEW:
        return 0
    invoice = raise_first_annual_fee(
        application=application, licence=licence, start=term.notice_received_on, actor=actor
    )
    return 1 if invoice is not None else 0
