"""Invoice numbers stay gap-free and unique when many invoices are issued at once from threads,
each with its own database connection, on PostgreSQL and on SQLite.

PostgreSQL: threads in this process against the test database (row lock on the counter).
SQLite: the test database is in memory with a shared cache, whose table locks fail at once
instead of waiting; so the test copies it to a file and runs the threads in a child process
against that file, with the production settings (WAL, BEGIN IMMEDIATE, busy timeout).
"""

from __future__ import annotations

import datetime
import json
import sqlite3
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction

from ssmark.accounts.models import Organisation
from ssmark.fees import services
from ssmark.fees.models import FeeKind, Invoice, InvoiceCounter
from ssmark.fees.tax import Line
from tests.threads import join_all

THREADS = 8
PER_THREAD = 5


class Boom(Exception):
    pass


def _issue(issuer: Organisation, addressee: Organisation) -> Invoice:
    return services.issue_invoice(
        issuer=issuer,
        addressee=addressee,
        fee_kind=FeeKind.REVIEW,
        lines=[Line("審査料金", "Review fee", 1, 80000, Decimal("10"))],
        amounts_include_tax=True,
        schedule_id="test",
        transaction_date=datetime.date(2026, 4, 10),
        due_on=datetime.date(2026, 4, 10),
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_on_postgresql(orgs, today):
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite variant is the next test")
    issuer, addressee, other = orgs["JAIPA"], orgs["sample-net"], orgs["TELESA"]
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(index: int) -> None:
        try:
            start.wait()
            for n in range(PER_THREAD):
                if index % 2 == 0 and n == 0:
                    # A transaction that takes a number and then fails gives it back.
                    try:
                        with transaction.atomic():
                            _issue(issuer, addressee)
                            raise Boom
                    except Boom:
                        pass
                _issue(other if index == 1 else issuer, addressee)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    join_all(threads)
    assert errors == []
    jaipa = sorted(Invoice.objects.filter(issuer=issuer).values_list("sequence_number", flat=True))
    assert jaipa == list(range(1, (THREADS - 1) * PER_THREAD + 1))
    telesa = sorted(Invoice.objects.filter(issuer=other).values_list("sequence_number", flat=True))
    assert telesa == list(range(1, PER_THREAD + 1))
    assert InvoiceCounter.objects.get(issuer=issuer, year=2026).last_number == len(jaipa)


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_on_sqlite(orgs, tmp_path: Path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant is the previous test")
    database = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database)
    connection.connection.backup(target)  # the migrated test database, with the fixtures
    target.close()
    script = Path(__file__).with_name("concurrent_issue.py")
    result = subprocess.run(
        [sys.executable, str(script), str(database), str(THREADS), str(PER_THREAD)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert sorted(report["numbers"]) == list(range(1, THREADS * PER_THREAD + 1))
