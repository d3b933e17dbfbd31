"""Each person reads notifications in their own language (Japanese by default); an address
with no account behind it (a security contact) gets Japanese first, then English."""

from __future__ import annotations

import pytest

from ssmark.accounts.models import User
from ssmark.notifications import messages, services
from ssmark.notifications.models import Notification

pytestmark = pytest.mark.django_db

CONTEXT = {"service": "サンプル光", "body": "JAIPA", "review_type": "new", "date": "2026-12-03"}


def test_render_in_one_language_has_no_other_language() -> None:
    ja_subject, ja_body = messages.render("submission_received", CONTEXT, language="ja")
    en_subject, en_body = messages.render("submission_received", CONTEXT, language="en")
    assert (
        ja_subject.startswith("【安全・安心マーク】") and "Application received" not in ja_subject
    )
    assert en_subject.startswith("[Safe/Secure Mark]") and "申請" not in en_subject
    assert "English" not in ja_body and "受け付け" not in en_body


def test_render_for_no_person_is_bilingual_japanese_first() -> None:
    subject, body = messages.render("submission_received", CONTEXT)
    assert subject.index("申請") < subject.index("Application received")
    assert "----- English -----" in body


def test_users_get_their_language_addresses_get_both(users: dict[str, User]) -> None:
    alice = users["alice"]
    to = services.recipients([alice], ["security@sample-net.example"])
    services.notify_message(
        kind="submission_received",
        message_id="submission_received",
        event_key="test:1",
        to=to,
        context=CONTEXT,
        link="/applications/1/",
    )
    for_alice = Notification.objects.get(recipient=alice)
    for_address = Notification.objects.get(recipient=None)
    assert for_alice.language == "ja"
    assert "Application received" not in for_alice.subject
    assert for_address.language == ""
    assert "Application received" in for_address.subject and "申請" in for_address.subject

    mail_alice = services.email_message(for_alice)
    assert "自動送信されています" in mail_alice.body
    assert "sent automatically" not in mail_alice.body
    assert "sent automatically" in services.email_message(for_address).body


def test_a_person_who_chose_english_reads_english(users: dict[str, User]) -> None:
    bob = users["bob"]
    if not hasattr(bob, "language"):
        pytest.fail("User.language (the person's language) is missing")
    bob.language = "en"
    bob.save(update_fields=["language"])
    services.notify_message(
        kind="submission_received",
        message_id="submission_received",
        event_key="test:2",
        to=services.recipients([bob]),
        context=CONTEXT,
    )
    note = Notification.objects.get(recipient=bob)
    assert note.language == "en"
    assert note.subject.startswith("[Safe/Secure Mark]") and "申請" not in note.subject
    assert "sent automatically" in services.email_message(note).body
    assert "自動" not in services.email_message(note).body
