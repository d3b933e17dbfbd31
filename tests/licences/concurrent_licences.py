"""Run by test_licence_concurrency on SQLite: approves applications from several threads at
the same moment against a file database (WAL, BEGIN IMMEDIATE: the production set-up).

python concurrent_licences.py <database file> <threads>
Each thread issues the licence of one approved application (ids taken in order); thread 0
first takes a number in a transaction that fails. Prints {"numbers": [...], "errors": [...]}.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import threading


def main() -> None:
    path, threads = sys.argv[1], int(sys.argv[2])
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssmark.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from ssmark.accounts.models import User
    from ssmark.applications.models import Application, ApplicationStatus
    from ssmark.licences.models import Licence
    from ssmark.licences.services import issue_licence

    actor = User.objects.get(username="sue")
    ids = list(
        Application.objects.filter(status=ApplicationStatus.APPROVED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    errors: list[str] = []
    barrier = threading.Barrier(threads)

    class Boom(Exception):
        pass

    def work(index: int) -> None:
        try:
            actor_here = User.objects.get(pk=actor.pk)
            application = Application.objects.get(pk=ids[index])
            barrier.wait()
            if index == 0:
                try:
                    with transaction.atomic():
                        issue_licence(
                            application=application,
                            actor=actor_here,
                            approved_on=datetime.date(2026, 3, 24),
                        )
                        raise Boom
                except Boom:
                    pass
            issue_licence(
                application=application, actor=actor_here, approved_on=datetime.date(2026, 3, 24)
            )
        except BaseException as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    numbers = list(Licence.objects.values_list("number", flat=True))
    print(json.dumps({"numbers": numbers, "errors": errors}))


if __name__ == "__main__":
    main()
