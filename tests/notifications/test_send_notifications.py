"""`ssmark send_notifications`: e-mails each notification once, even when run twice or by two
runs at once; raises annual fees and finds overdue invoices once."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from ssmark.applications.models import Application
from ssmark.core import events
from ssmark.fees.models import FeeKind, Invoice, OverdueNotice
from ssmark.fees.services import raise_review_fee
from ssmark.notifications import services
from ssmark.notifications.models import EmailStatus, Notification
from tests.fees import factories

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("send_notifications", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def submit(orgs, users, **kw) -> Application:
    app = factories.application(orgs, users, **kw)
    raise_review_fee(application=app, actor=None)  # as applications' submit() does
    events.application_submitted.send(
        sender=Application, application=app, resubmission=False, actor=None
    )
    return app


def test_each_notification_is_mailed_once(orgs, users, today, mailoutbox):
    submit(orgs, users)
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING).count()
    assert pending == 8  # 4 submission (alice, bob, 2 contacts) + rin + 3 invoice
    run("--no-fees")
    assert len(mailoutbox) == pending
    assert not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()
    assert all(n.sent_at for n in Notification.objects.all())
    run("--no-fees")
    assert len(mailoutbox) == pending
    message = next(
        m for m in mailoutbox if m.to == ["alice@example.test"] and "申請を受け付け" in m.subject
    )
    # Alice reads Japanese: the message, the link line and the footer, without English.
    assert "受け付けました" in message.body and "has received" not in message.body
    assert "自動送信" in message.body and "sent automatically" not in message.body
    to_manager = next(
        m
        for m in mailoutbox
        if m.to == ["manager@sample-net.example"] and "Application received" in m.subject
    )
    assert to_manager.body.index("受け付けました") < to_manager.body.index("has received")
    assert "http://" in message.body and "/applications/" in message.body


def test_two_runs_at_once_claim_disjoint_rows(orgs, users, today):
    submit(orgs, users)
    first = services.claim(worker="a", limit=5)
    second = services.claim(worker="b", limit=100)
    assert len(first) == 5 and len(second) == 3
    assert not {n.pk for n in first} & {n.pk for n in second}
    assert services.claim(worker="c", limit=100) == []
    # Worker "a" finishing cannot touch "b"'s rows.
    assert Notification.objects.filter(claimed_by="b", email_status="sending").count() == 3


def test_a_failed_send_is_retried_later(orgs, users, today, mailoutbox):
    app = factories.application(orgs, users)
    events.application_withdrawn.send(sender=Application, application=app, actor=None)  # rin
    with override_settings(EMAIL_BACKEND="tests.notifications.failing_backend.Backend"):
        run("--no-fees")
    note = Notification.objects.get()
    assert (note.email_status, note.attempts) == (EmailStatus.PENDING, 1)
    assert "refused" in note.last_error
    run("--no-fees")
    note.refresh_from_db()
    assert note.email_status == EmailStatus.SENT and len(mailoutbox) == 1


def test_interrupted_claims_are_reported_not_resent(orgs, users, today, mailoutbox):
    app = factories.application(orgs, users)
    events.application_withdrawn.send(sender=Application, application=app, actor=None)
    Notification.objects.update(
        email_status=EmailStatus.SENDING,
        claimed_by="dead",
        claimed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    err = io.StringIO()
    call_command("send_notifications", "--no-fees", stdout=io.StringIO(), stderr=err)
    assert "--release-stale" in err.getvalue() and mailoutbox == []
    run("--no-fees", "--release-stale")
    assert len(mailoutbox) == 1


def test_overdue_invoices_are_notified_once(orgs, users, today, mailoutbox):
    # Due 30 days after submission (the shipped schedule): 2026-05-31.
    submit(orgs, users, submitted_on=datetime.date(2026, 5, 1))
    Notification.objects.all().delete()
    run("--today", "2026-05-31")
    assert not OverdueNotice.objects.exists()
    output = run("--today", "2026-06-01")
    assert "newly overdue invoices: 1" in output
    overdue = Notification.objects.filter(kind="payment_overdue")
    recipients = {n.recipient.username if n.recipient else n.email for n in overdue}
    assert recipients == {"alice", "bob", "manager@sample-net.example", "rin"}
    assert len(mailoutbox) == 4
    run("--today", "2026-06-02")
    run("--today", "2026-06-02")
    assert Notification.objects.filter(kind="payment_overdue").count() == 4
    assert len(mailoutbox) == 4


def test_annual_fees_are_raised_by_the_job(orgs, users, today):
    factories.licence(orgs, first_granted_on=datetime.date(2025, 5, 1))
    today(datetime.date(2026, 5, 1))
    run("--today", "2026-05-01")
    run("--today", "2026-05-01")
    invoice = Invoice.objects.get(fee_kind=FeeKind.ANNUAL)
    assert invoice.fee_year == 2
    assert Notification.objects.filter(kind="invoice_issued").count() == 2  # alice, bob


def test_bad_arguments(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--today", "2026-13-01")
    with pytest.raises(CommandError):
        run("--limit", "0")
