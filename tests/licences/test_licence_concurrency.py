"""Two (and more) approvals recorded at the same moment get distinct, consecutive numbers,
on PostgreSQL (threads, row lock on the counter) and SQLite (a child process against a file
copy of the test database: the in-memory test database's shared-cache locks fail at once
instead of waiting, unlike production's WAL + BEGIN IMMEDIATE)."""

from __future__ import annotations

import datetime
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from ssmark.accounts.models import User
from ssmark.applications.models import Application
from ssmark.licences.models import Licence
from ssmark.licences.services import issue_licence
from tests.threads import join_all

THREADS = 6


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_on_postgresql(make_application, users):
    if connection.vendor != "postgresql":
        pytest.skip("the SQLite variant is the next test")
    apps = [make_application(reception="JAIPA" if i % 2 else "TELESA") for i in range(THREADS)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def work(index: int) -> None:
        try:
            actor = User.objects.get(pk=users["sue"].pk)
            application = Application.objects.get(pk=apps[index].pk)
            barrier.wait()
            if index == 0:
                try:
                    with transaction.atomic():
                        issue_licence(
                            application=application,
                            actor=actor,
                            approved_on=datetime.date(2026, 3, 24),
                        )
                        raise Boom
                except Boom:
                    pass
            issue_licence(
                application=application, actor=actor, approved_on=datetime.date(2026, 3, 24)
            )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    join_all(threads)
    assert errors == []
    serials = sorted(Licence.objects.values_list("serial", flat=True))
    assert serials == list(range(1, THREADS + 1))  # distinct, no gap
    for lic in Licence.objects.select_related("reception_body"):
        assert lic.number == f"{lic.reception_body.licence_letter}{lic.serial:04d}"


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_on_sqlite(make_application, users, tmp_path: Path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant is the previous test")
    for _ in range(THREADS):
        make_application()
    database = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(database)
    connection.connection.backup(target)
    target.close()
    script = Path(__file__).with_name("concurrent_licences.py")
    result = subprocess.run(
        [sys.executable, str(script), str(database), str(THREADS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert sorted(report["numbers"]) == [f"J{n:04d}" for n in range(1, THREADS + 1)]
