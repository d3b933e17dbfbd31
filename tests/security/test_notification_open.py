"""Point 9: opening a notification marks it read only on POST; a GET (a link preview, a
prefetch, a crawler following a link) changes nothing."""

from __future__ import annotations

import pytest

from ssmark.notifications.models import Notification, NotificationKind


@pytest.mark.django_db
def test_get_does_not_mark_read_post_does(users, client_for) -> None:
    note = Notification.objects.create(
        recipient=users["alice"],
        recipient_key=f"user:{users['alice'].pk}",
        event_key="security-test",
        kind=NotificationKind.choices[0][0],
        subject="件名",
        body="本文",
    )
    alice = client_for("alice")
    assert alice.get(f"/notifications/{note.pk}/").status_code == 200
    note.refresh_from_db()
    assert note.read_at is None
    inbox = alice.get("/notifications/").content.decode()
    assert f'action="/notifications/{note.pk}/"' in inbox and 'method="post"' in inbox
    response = alice.post(f"/notifications/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/notifications/{note.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    # Someone else's notification stays hidden on POST too.
    assert client_for("bob").post(f"/notifications/{note.pk}/").status_code == 404
