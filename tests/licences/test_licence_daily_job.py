"""The daily job (`ssmark lapse_licences`): lapse on the right day, reminders once, idempotent;
and the secretariat's list of late renewals."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from ssmark.applications.models import ApplicationStatus
from ssmark.core import events
from ssmark.licences.models import LicenceStatus, ReminderKind, RenewalReminder, StatusChange
from ssmark.licences.services import (
    late_renewals,
    revoke_licence,
    run_daily,
    start_renewal,
)

pytestmark = pytest.mark.django_db

D = datetime.date
UNTIL = D(2028, 1, 9)  # the fixture licence's last valid day
DEADLINE = D(2027, 8, 12)  # 150 days before
OPENS = D(2027, 5, 14)  # 90 days before the deadline


@pytest.fixture
def captured():
    seen: dict[str, list[dict]] = {"status": [], "reminder": []}

    def on_status(sender, **kw):
        seen["status"].append(kw)

    def on_reminder(sender, **kw):
        seen["reminder"].append(kw)

    events.licence_status_changed.connect(on_status, dispatch_uid="test-status")
    events.renewal_reminder_due.connect(on_reminder, dispatch_uid="test-reminder")
    yield seen
    events.licence_status_changed.disconnect(dispatch_uid="test-status")
    events.renewal_reminder_due.disconnect(dispatch_uid="test-reminder")


def test_lapses_the_day_after_the_last_valid_day_and_only_once(licence, captured):
    assert run_daily(today=UNTIL).lapsed == []
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    assert run_daily(today=UNTIL + datetime.timedelta(days=1)).lapsed == ["J0001"]
    assert run_daily(today=UNTIL + datetime.timedelta(days=1)).lapsed == []
    assert run_daily(today=UNTIL + datetime.timedelta(days=30)).lapsed == []
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.LAPSED
    assert StatusChange.objects.filter(licence=licence, to_status=LicenceStatus.LAPSED).count() == 1
    lapses = [s for s in captured["status"] if s["to_status"] == LicenceStatus.LAPSED]
    assert len(lapses) == 1 and lapses[0]["actor"] is None


def test_renewal_pending_and_suspended_lapse_revoked_stays(issue, users):
    pending = issue()
    start_renewal(licence=pending, actor=users["alice"], today=OPENS)
    revoked = issue()
    revoke_licence(licence=revoked, actor=users["sue"], ground="report_not_made", reason="未報告")
    lapsed = run_daily(today=UNTIL + datetime.timedelta(days=1)).lapsed
    assert lapsed == [pending.number]
    revoked.refresh_from_db()
    assert revoked.status == LicenceStatus.REVOKED


def test_window_open_reminder_is_sent_once_on_the_day(licence, captured):
    run_daily(today=OPENS - datetime.timedelta(days=1))
    assert captured["reminder"] == []
    run_daily(today=OPENS)
    run_daily(today=OPENS)
    run_daily(today=OPENS + datetime.timedelta(days=1))
    assert len(captured["reminder"]) == 1
    sent = captured["reminder"][0]
    assert sent["kind"] == "window_open"
    assert (sent["window_opens"], sent["deadline"]) == (OPENS, DEADLINE)
    assert sent["licence"] == licence


def test_deadline_reminders_each_once_then_none_after_the_deadline(licence, captured):
    days = [OPENS, DEADLINE - datetime.timedelta(days=60), DEADLINE - datetime.timedelta(days=30)]
    days += [DEADLINE - datetime.timedelta(days=7), DEADLINE, DEADLINE + datetime.timedelta(days=1)]
    for day in days:
        run_daily(today=day)
        run_daily(today=day)  # twice a day changes nothing
    kinds = [(r["kind"]) for r in captured["reminder"]]
    assert kinds == ["window_open", "deadline_near", "deadline_near", "deadline_near"]
    recorded = RenewalReminder.objects.filter(licence=licence, sent=True)
    assert sorted(
        r.days_before_deadline for r in recorded if r.kind == ReminderKind.DEADLINE_NEAR
    ) == [
        7,
        30,
        60,
    ]


def test_a_late_first_run_sends_only_the_most_urgent_reminder(licence, captured):
    run_daily(today=DEADLINE - datetime.timedelta(days=5))
    assert [r["kind"] for r in captured["reminder"]] == ["deadline_near"]
    assert RenewalReminder.objects.filter(licence=licence).count() == 4  # all recorded
    assert (
        RenewalReminder.objects.filter(licence=licence, sent=True).get().days_before_deadline == 7
    )


def test_no_reminders_once_a_renewal_is_in_progress(licence, users, captured):
    start_renewal(licence=licence, actor=users["alice"], today=OPENS)
    run_daily(today=DEADLINE - datetime.timedelta(days=7))
    assert captured["reminder"] == []


def test_command_is_safe_to_run_twice(licence):
    out = io.StringIO()
    call_command("lapse_licences", "--date", "2028-01-10", stdout=out)
    assert "lapsed J0001" in out.getvalue()
    out = io.StringIO()
    call_command("lapse_licences", "--date", "2028-01-10", stdout=out)
    assert "0 licence(s) lapsed, 0 reminder(s) sent" in out.getvalue()


def test_late_list_has_licences_past_the_deadline_without_a_submitted_renewal(
    issue, users, client_for
):
    late = issue(service_name="遅延光")
    started = issue(service_name="下書き光")
    submitted = issue(service_name="提出済み光")
    start_renewal(licence=started, actor=users["alice"], today=OPENS)
    app = start_renewal(licence=submitted, actor=users["alice"], today=OPENS)
    app.first_submitted_on = OPENS
    app.status = ApplicationStatus.SUBMITTED
    app.save()
    today = DEADLINE + datetime.timedelta(days=3)
    assert late_renewals(today=DEADLINE) == []
    rows = late_renewals(today=today)
    assert [(r.licence.number, r.days_late, r.draft is not None) for r in rows] == [
        (late.number, 3, False),
        (started.number, 3, True),
    ]
    assert late_renewals(today=UNTIL + datetime.timedelta(days=1)) == []  # lapsed by then
    response = client_for("sue").get("/licences/late/")
    assert response.status_code == 200
    assert client_for("alice").get("/licences/late/").status_code == 403
