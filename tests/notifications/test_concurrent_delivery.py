"""Two copies of the delivery running at the same moment send every e-mail exactly once
(PostgreSQL: real concurrent connections and SKIP LOCKED claims)."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from ssmark.notifications import services
from ssmark.notifications.models import EmailStatus, Notification
from tests.threads import join_all

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_runs_send_each_email_once(users, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    to = [services.Recipient(user=None, email=f"person{i}@example.test") for i in range(60)]
    services.notify(kind="bulletin", event_key="bulletin:x", to=to, subject="s", body="b")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            while services.deliver_pending(limit=7).sent:
                pass
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    join_all(threads)
    assert errors == []
    sent_to = sorted(m.to[0] for m in mail.outbox)
    assert sent_to == sorted(r.email for r in to)  # each once
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 60
