"""Renewals: the window, the renewal application carried over from the previous one, the same
number with the next validity period, and what happens when the renewal ends otherwise."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications.models import ApplicationStatus, Claim, Evidence, EvidenceKind, ItemAnswer
from ssmark.applications.services import withdraw
from ssmark.applications.states import transition
from ssmark.catalog.models import Item, ReviewType
from ssmark.core import clock, events
from ssmark.core.models import AuditEntry
from ssmark.licences.models import Licence, LicenceStatus, LicenceTerm, RenewalLink, TermKind
from ssmark.licences.services import (
    ERROR_RENEWAL_EXISTS,
    ERROR_RENEWAL_TOO_EARLY,
    LicenceError,
    LicenceNotAllowed,
    issue_licence,
    lapse_expired,
    renewal_dates,
    start_renewal,
)

pytestmark = pytest.mark.django_db

# The fixture licence is valid 2026-01-10 .. 2028-01-09: deadline 150 days before expiry
# (2027-08-12), window opening 90 days before that (2027-05-14).
IN_WINDOW = datetime.date(2027, 6, 1)


def _approve(application, users):
    from django.db import transaction

    with transaction.atomic():
        application.status = ApplicationStatus.FIRST_REVIEW_PASSED
        application.save(update_fields=["status"])
        transition(
            application,
            to_status=ApplicationStatus.APPROVED,
            actor=users["sue"],
            action="ssmark.committee.approved",
        )


def _pay_annual_fees(licence, users):
    """The shipped schedule grants no renewal while an annual fee is overdue: pay them."""
    from ssmark.fees import services as fees

    for invoice in fees.overdue_invoices().filter(licence=licence):
        fees.record_payment(
            invoice=invoice,
            received_on=clock.today(),
            amount=fees.balance(invoice).outstanding,
            method="bank_transfer",
            actor=users["sue"],
        )


def test_renewal_dates_follow_the_scheme_settings(licence):
    opens, deadline = renewal_dates(licence)
    assert deadline == datetime.date(2027, 8, 12)
    assert opens == datetime.date(2027, 5, 14)


def test_renewal_cannot_start_before_the_window(licence, users):
    with pytest.raises(LicenceError) as exc:
        start_renewal(licence=licence, actor=users["alice"], today=datetime.date(2027, 5, 13))
    assert str(exc.value) == str(ERROR_RENEWAL_TOO_EARLY % {"date": "2027-05-14"})


def test_only_the_holder_starts_a_renewal(licence, users):
    for name in ("charlie", "rin", "kei"):
        with pytest.raises(LicenceNotAllowed):
            start_renewal(licence=licence, actor=users[name], today=IN_WINDOW)


def test_renewal_application_starts_from_the_previous_answers(licence, users):
    previous = licence.application
    item = Item.objects.get(criteria_set=previous.criteria_set, code="1-1-1")
    old = ItemAnswer.objects.create(
        application=previous, item=item, claim=Claim.MET, explanation="方針は別紙のとおり"
    )
    Evidence.objects.create(
        answer=old,
        kind=EvidenceKind.URL,
        url="https://sample.example/policy",
        uploaded_by=users["alice"],
    )

    app = start_renewal(licence=licence, actor=users["bob"], today=IN_WINDOW)

    assert app.review_type == ReviewType.RENEWAL
    assert app.status == ApplicationStatus.DRAFT
    assert app.criteria_set == previous.criteria_set  # the set in force on IN_WINDOW
    assert app.reception_body == licence.reception_body
    assert app.responsible_manager == previous.responsible_manager
    assert RenewalLink.objects.get(application=app).licence == licence
    answer = ItemAnswer.objects.get(application=app, item__code="1-1-1")
    assert answer.carried_over is True
    assert answer.claim == Claim.MET and answer.explanation == "方針は別紙のとおり"
    assert [e.url for e in answer.evidence.all()] == ["https://sample.example/policy"]
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.RENEWAL_PENDING
    assert AuditEntry.objects.filter(action="ssmark.licence.renewal_started").count() == 1

    with pytest.raises(LicenceError) as exc:
        start_renewal(licence=licence, actor=users["alice"], today=IN_WINDOW)
    assert str(exc.value) == str(ERROR_RENEWAL_EXISTS)


def test_approved_renewal_keeps_the_number_and_extends_validity(licence, users):
    app = start_renewal(licence=licence, actor=users["alice"], today=IN_WINDOW)
    _approve(app, users)
    _pay_annual_fees(licence, users)
    seen = []
    events.licence_issued.connect(
        lambda sender, **kw: seen.append(kw), weak=False, dispatch_uid="t"
    )
    try:
        renewed = issue_licence(
            application=app, actor=users["sue"], approved_on=datetime.date(2027, 11, 25)
        )
    finally:
        events.licence_issued.disconnect(dispatch_uid="t")
    assert renewed.pk == licence.pk and renewed.number == "J0001"
    assert Licence.objects.count() == 1
    assert renewed.valid_from == datetime.date(2028, 1, 10)  # the day after the old period
    assert renewed.valid_until == datetime.date(2030, 1, 9)
    assert renewed.first_granted_on == datetime.date(2026, 1, 10)
    assert renewed.status == LicenceStatus.ACTIVE
    assert renewed.application == app
    term = LicenceTerm.objects.get(application=app)
    assert term.kind == TermKind.RENEWAL
    assert seen and seen[0]["notice_received_on"] == datetime.date(2027, 12, 2)
    assert AuditEntry.objects.filter(action="ssmark.licence.renewed").count() == 1


def test_renewal_approved_after_the_licence_lapsed_restarts_from_approval(licence, users):
    app = start_renewal(licence=licence, actor=users["alice"], today=IN_WINDOW)
    assert lapse_expired(today=datetime.date(2028, 1, 10)) == ["J0001"]
    _approve(app, users)
    _pay_annual_fees(licence, users)
    renewed = issue_licence(
        application=app, actor=users["sue"], approved_on=datetime.date(2028, 3, 24)
    )
    assert renewed.status == LicenceStatus.ACTIVE
    assert (renewed.valid_from, renewed.valid_until) == (
        datetime.date(2028, 3, 24),
        datetime.date(2030, 3, 23),
    )


def test_withdrawn_renewal_puts_the_licence_back_to_active(licence, users):
    app = start_renewal(licence=licence, actor=users["alice"], today=IN_WINDOW)
    withdraw(actor=users["alice"], application=app, reason="取り下げ")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    # ...and a new renewal may be started.
    start_renewal(licence=licence, actor=users["alice"], today=IN_WINDOW)
