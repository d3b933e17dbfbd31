"""Two reviewers (or two tabs) saving the same finding at the same moment: exactly one save
wins, every other one gets a conflict, and nothing is silently overwritten.

PostgreSQL only: threads, each with its own connection, race on the conditional UPDATE. (On
SQLite writes are serialised anyway; the sequential conflict test covers the rule there.)
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from ssmark.reviews import services
from ssmark.reviews.models import ReviewFinding
from tests.threads import join_all

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_finding(in_review, users, rh):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    item = rh.item(in_review, "3-2-1")
    ren = users["ren"]
    start = threading.Barrier(THREADS)
    won: list[str] = []
    conflicts: list[services.FindingConflict] = []
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            start.wait()
            services.record_finding(
                actor=ren,
                application=in_review,
                item=item,
                finding="met" if index % 2 else "not_met",
                comment=f"thread {index}",
                expected_version=0,
            )
            won.append(f"thread {index}")
        except services.FindingConflict as exc:
            conflicts.append(exc)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    join_all(threads)
    assert errors == []
    assert len(won) == 1 and len(conflicts) == THREADS - 1
    saved = ReviewFinding.objects.get(application=in_review, item=item)
    assert saved.version == 1 and saved.comment == won[0]
    assert all(c.current.comment == won[0] for c in conflicts)
