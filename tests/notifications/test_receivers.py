"""Each event notifies the right people, once, in Japanese with English below."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications.models import Application
from ssmark.core import events
from ssmark.fees.services import raise_review_fee
from ssmark.licences.models import Licence
from ssmark.notifications.models import EmailStatus, Notification, NotificationKind
from tests.fees import factories

pytestmark = pytest.mark.django_db

CONTACTS = {"manager@sample-net.example", "pim@sample-net.example"}


def who(kind: str) -> set[str]:
    """Recipients of notifications of `kind`: user names, or addresses for address-only ones."""
    return {
        n.recipient.username if n.recipient else n.email
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    }


def submitted(app: Application, *, resubmission: bool = False, actor: object = None) -> None:
    """The end of applications' submit(): a first submission's review fee, then the event."""
    if not resubmission:
        raise_review_fee(application=app, actor=actor)
    events.application_submitted.send(
        sender=Application, application=app, resubmission=resubmission, actor=actor
    )


def test_submission_notifies_the_applicant_side_and_the_reception_body(orgs, users, today):
    app = factories.application(orgs, users, service_name="サンプル光")
    submitted(app, actor=users["alice"])
    assert who(NotificationKind.SUBMISSION_RECEIVED) == {"alice", "bob"} | CONTACTS
    assert who(NotificationKind.SUBMISSION_FOR_RECEPTION) == {"rin"}
    # The review fee's invoice is announced to the company and its responsible manager.
    assert who(NotificationKind.INVOICE_ISSUED) == {"alice", "bob", "manager@sample-net.example"}
    note = Notification.objects.get(
        kind=NotificationKind.SUBMISSION_RECEIVED, recipient=users["alice"]
    )
    # Alice reads Japanese (her profile's default): no English copy.
    assert note.subject == "【安全・安心マーク】申請を受け付けました：サンプル光"
    assert "受け付けました" in note.body and "has received" not in note.body
    # The responsible manager has no account: Japanese first, then English.
    for_manager = Notification.objects.get(
        kind=NotificationKind.SUBMISSION_RECEIVED, email="manager@sample-net.example"
    )
    assert "Application received: サンプル光" in for_manager.subject
    ja, en = for_manager.body.split("----- English -----")
    assert "受け付けました" in ja and "has received" in en
    assert note.email == "alice@example.test" and note.email_status == EmailStatus.PENDING
    assert note.read_at is None and note.sent_at is None


def test_resubmission_notifies_again_but_raises_no_invoice(orgs, users, today):
    app = factories.application(orgs, users)
    for resubmission in (False, True, True):
        submitted(app, resubmission=resubmission)
    assert Notification.objects.filter(kind="submission_for_reception").count() == 3
    assert Notification.objects.filter(kind="invoice_issued").count() == 3  # alice, bob, manager


def test_a_contact_who_is_a_member_is_notified_once(orgs, users, today):
    app = factories.application(orgs, users)
    app.responsible_manager_email = "ALICE@example.test"
    app.save()
    events.application_returned.send(
        sender=Application, application=app, comments={"1-1-1": "x", "2-1-1": "y"}, actor=None
    )
    assert who(NotificationKind.APPLICATION_RETURNED) == {"alice", "bob", "pim@sample-net.example"}
    note = Notification.objects.filter(kind="application_returned").first()
    assert "2 comment(s)" in note.body and "2 件" in note.body


def test_first_review_decisions(orgs, users, today):
    app = factories.application(orgs, users)
    events.first_review_decided.send(
        sender=Application, application=app, passed=True, reason="", override=False, actor=None
    )
    assert who(NotificationKind.FIRST_REVIEW_DECIDED) == {"alice", "bob", "sue"} | CONTACTS
    Notification.objects.all().delete()
    events.first_review_decided.send(
        sender=Application,
        application=app,
        passed=False,
        reason="必須項目 2-1-1 未達",
        override=False,
        actor=None,
    )
    assert who(NotificationKind.FIRST_REVIEW_DECIDED) == {"alice", "bob"} | CONTACTS
    assert "必須項目 2-1-1 未達" in Notification.objects.first().body


@pytest.mark.parametrize("decision", ["approved", "rejected", "deferred"])
def test_committee_decisions(orgs, users, today, decision):
    app = factories.application(orgs, users)
    events.committee_decided.send(
        sender=Application, application=app, decision=decision, reason="理由", actor=None
    )
    assert who(NotificationKind.COMMITTEE_DECIDED) == {"alice", "bob", "rin"} | CONTACTS


def test_pass_notice(orgs, users, today):
    app = factories.application(orgs, users)
    licence = factories.licence(orgs, app=app, first_granted_on=datetime.date(2026, 4, 8))
    events.licence_issued.send(
        sender=Licence,
        licence=licence,
        application=app,
        notice_received_on=datetime.date(2026, 4, 15),
        actor=None,
    )
    note = Notification.objects.get(kind=NotificationKind.PASS_NOTICE, recipient=users["alice"])
    assert licence.number in note.subject
    assert "2026-04-15" in note.body
    assert who(NotificationKind.PASS_NOTICE) == {"alice", "bob"} | CONTACTS


@pytest.mark.parametrize(
    ("to_status", "kind"),
    [
        ("lapsed", NotificationKind.LICENCE_LAPSED),
        ("suspended", NotificationKind.LICENCE_SUSPENDED),
        ("revoked", NotificationKind.LICENCE_REVOKED),
    ],
)
def test_licence_status_changes_reach_the_security_contact(orgs, users, today, to_status, kind):
    licence = factories.licence(orgs)
    events.licence_status_changed.send(
        sender=Licence,
        licence=licence,
        from_status="active",
        to_status=to_status,
        reason="r",
        actor=None,
    )
    assert who(kind) == {"alice", "bob", "security@sample-net.example"}


def test_reinstatement_notifies_nobody(orgs, users, today):
    licence = factories.licence(orgs)
    events.licence_status_changed.send(
        sender=Licence,
        licence=licence,
        from_status="suspended",
        to_status="active",
        reason="",
        actor=None,
    )
    assert not Notification.objects.exists()


def test_renewal_reminders_once_per_day_and_kind(orgs, users, today):
    app = factories.application(orgs, users)
    licence = factories.licence(orgs, app=app)
    for kind in ("window_open", "window_open", "deadline_near"):
        events.renewal_reminder_due.send(
            sender=Licence,
            licence=licence,
            window_opens=datetime.date(2026, 9, 1),
            deadline=datetime.date(2026, 12, 1),
            kind=kind,
            actor=None,
        )
    assert who(NotificationKind.RENEWAL_WINDOW_OPEN) == {
        "alice",
        "bob",
        "manager@sample-net.example",
    }
    assert Notification.objects.filter(kind=NotificationKind.RENEWAL_WINDOW_OPEN).count() == 3
    assert Notification.objects.filter(kind=NotificationKind.RENEWAL_DEADLINE_NEAR).count() == 3


def test_incident_recommendation(orgs, users, today):
    licence = factories.licence(orgs)
    events.incident_recommendation_issued.send(
        sender=Licence,
        licence=licence,
        incident=None,
        recommendation="再発防止策を報告すること",
        actor=None,
    )
    assert who(NotificationKind.INCIDENT_RECOMMENDATION) == {
        "alice",
        "bob",
        "security@sample-net.example",
    }
    assert "再発防止策を報告すること" in Notification.objects.first().body


def test_withdrawal_tells_the_reception_body(orgs, users, today):
    app = factories.application(orgs, users, reception="TELESA")
    events.application_withdrawn.send(sender=Application, application=app, actor=None)
    assert who(NotificationKind.APPLICATION_WITHDRAWN) == {"tomo"}


def test_a_user_without_an_address_still_gets_it_in_the_app(orgs, users, today):
    users["bob"].email = ""
    users["bob"].save()
    app = factories.application(orgs, users)
    events.application_withdrawn.send(sender=Application, application=app, actor=None)
    events.application_returned.send(sender=Application, application=app, comments={}, actor=None)
    note = Notification.objects.get(kind="application_returned", recipient=users["bob"])
    assert note.email_status == EmailStatus.NONE
