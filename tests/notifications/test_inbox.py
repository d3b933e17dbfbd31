"""The in-app inbox: each user sees only their own notifications, and marks them read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ssmark.applications.models import Application
from ssmark.core import events
from ssmark.notifications.models import Notification
from tests.fees import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes(orgs, users, today):
    app = factories.application(orgs, users, service_name="サンプル光")
    events.application_returned.send(sender=Application, application=app, comments={}, actor=None)
    return {n.recipient.username: n for n in Notification.objects.filter(recipient__isnull=False)}


def test_inbox_lists_own_notifications(client_for, notes):
    page = client_for("alice").get(reverse("notifications:inbox")).content.decode()
    assert "差し戻し：サンプル光" in page
    assert "未読 1 件" in page
    assert (
        "サンプル光"
        not in client_for("charlie").get(reverse("notifications:inbox")).content.decode()
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [("alice", 200), ("bob", 404), ("charlie", 404), ("rin", 404), ("sue", 404), ("ada", 404)],
)
def test_a_notification_is_shown_only_to_its_recipient(client_for, notes, name, expected):
    url = reverse("notifications:detail", args=[notes["alice"].pk])
    assert client_for(name).get(url).status_code == expected


def test_opening_marks_read(client_for, notes):
    note = notes["alice"]
    alice = client_for("alice")
    response = alice.get(reverse("notifications:detail", args=[note.pk]))
    assert "修正のため差し戻されました" in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is None  # a GET (preview, prefetch) changes nothing
    response = alice.post(reverse("notifications:detail", args=[note.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_read_and_all_read(client_for, notes):
    bob = client_for("bob")
    assert (
        client_for("alice")
        .post(reverse("notifications:mark_read", args=[notes["bob"].pk]))
        .status_code
        == 404
    )
    assert bob.post(reverse("notifications:mark_read", args=[notes["bob"].pk])).status_code == 302
    notes["bob"].refresh_from_db()
    assert notes["bob"].read_at is not None
    assert client_for("alice").post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.filter(recipient__isnull=False, read_at__isnull=True).exists()
    assert bob.get(reverse("notifications:mark_read", args=[notes["bob"].pk])).status_code == 405
