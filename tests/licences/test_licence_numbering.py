"""Licence numbers: the reception body's letter + 4 digits from one counter, in order, never
reused; validity from the scheme settings; the audit entry and the licence_issued event."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from ssmark.applications.models import ApplicationStatus
from ssmark.core import events
from ssmark.core.models import AuditEntry
from ssmark.licences import scheme
from ssmark.licences.models import Licence, LicenceCounter, LicenceStatus, LicenceTerm
from ssmark.licences.services import (
    ERROR_ALREADY_ISSUED,
    ERROR_NOT_APPROVED,
    LicenceError,
    LicenceNotAllowed,
    bump_counter_to,
    issue_licence,
)

pytestmark = pytest.mark.django_db


def test_numbers_take_the_letter_of_the_reception_body_and_one_counter(issue):
    numbers = [
        issue(reception="JAIPA").number,
        issue(reception="TELESA").number,
        issue(reception="TCA").number,
        issue(reception="JAIPA").number,
    ]
    assert numbers == ["J0001", "T0002", "D0003", "J0004"]
    # The public order is grant order across the bodies.
    assert list(Licence.objects.values_list("number", flat=True)) == numbers


def test_a_rolled_back_approval_leaves_no_gap_and_no_number_is_reused(
    issue, make_application, users
):
    issue()  # J0001
    with pytest.raises(RuntimeError), transaction.atomic():
        issue()
        raise RuntimeError("the committee's transaction fails")
    assert issue().number == "J0002"  # no gap
    # A counter set back by hand still never hands out a number in use.
    LicenceCounter.objects.filter(name="licence").update(value=0)
    assert issue().number == "J0003"
    assert LicenceCounter.objects.get(name="licence").value == 3
    assert sorted(Licence.objects.values_list("serial", flat=True)) == [1, 2, 3]


def test_counter_respects_imported_serials_and_is_recreated(issue, licence):
    LicenceCounter.objects.all().delete()
    assert issue().number == "J0002"  # recreated above the highest serial in use
    bump_counter_to(112)
    assert issue(reception="TCA").number == "D0113"


def test_numbers_grow_a_digit_after_9999(issue):
    bump_counter_to(9999)
    assert issue().number == "J10000"


def test_validity_period_comes_from_the_scheme_settings(issue):
    lic = issue(approved_on=datetime.date(2026, 1, 10))
    assert (lic.valid_from, lic.valid_until) == (
        datetime.date(2026, 1, 10),
        datetime.date(2028, 1, 9),
    )
    assert lic.first_granted_on == datetime.date(2026, 1, 10)
    assert lic.status == LicenceStatus.ACTIVE
    with scheme.override(validity_months=12):
        short = issue(approved_on=datetime.date(2024, 2, 29))
    # Civil Code art. 143: no 29 February in 2025, so the period ends on the month's last day.
    assert short.valid_until == datetime.date(2025, 2, 28)


def test_issue_records_term_audit_and_event(make_application, users):
    application = make_application(service_name="サンプル光")
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    events.licence_issued.connect(receiver)
    try:
        lic = issue_licence(
            application=application, actor=users["sue"], approved_on=datetime.date(2026, 3, 24)
        )
    finally:
        events.licence_issued.disconnect(receiver)
    assert len(seen) == 1
    assert seen[0]["licence"] == lic
    assert seen[0]["application"] == application
    assert seen[0]["notice_received_on"] == datetime.date(2026, 3, 31)  # + deemed_received_days
    term = LicenceTerm.objects.get(licence=lic)
    assert term.application == application and term.notice_received_on == datetime.date(2026, 3, 31)
    entry = AuditEntry.objects.get(action="ssmark.licence.issued")
    assert entry.target_id == str(lic.pk) and entry.data["number"] == "J0001"
    assert lic.search_key  # registry search works for it


def test_only_an_approved_application_once_and_only_by_committee_staff(make_application, users):
    pending = make_application(status=ApplicationStatus.FIRST_REVIEW_PASSED)
    with pytest.raises(LicenceError) as exc:
        issue_licence(application=pending, actor=users["sue"], approved_on=datetime.date.today())
    assert str(exc.value) == str(ERROR_NOT_APPROVED)

    approved = make_application()
    for name in ("alice", "rin", "ren"):
        with pytest.raises(LicenceNotAllowed):
            issue_licence(
                application=approved, actor=users[name], approved_on=datetime.date.today()
            )
    issue_licence(application=approved, actor=users["kei"], approved_on=datetime.date.today())
    with pytest.raises(LicenceError) as exc:
        issue_licence(application=approved, actor=users["sue"], approved_on=datetime.date.today())
    assert str(exc.value) == str(ERROR_ALREADY_ISSUED)
    assert Licence.objects.count() == 1
