"""Run by test_numbering_concurrency on SQLite: issues invoices from several threads against a
file database (WAL, BEGIN IMMEDIATE: the production set-up), as a separate process.

python concurrent_issue.py <database file> <threads> <invoices per thread>
Prints one JSON object: {"numbers": [...], "errors": [...]}.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import threading
from decimal import Decimal


def main() -> None:
    path, threads, per_thread = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssmark.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from ssmark.accounts.models import Organisation
    from ssmark.fees import services
    from ssmark.fees.models import FeeKind, Invoice
    from ssmark.fees.tax import Line

    issuer = Organisation.objects.get(code="JAIPA")
    addressee = Organisation.objects.get(code="sample-net")
    errors: list[str] = []
    barrier = threading.Barrier(threads)

    class Boom(Exception):
        pass

    def issue() -> None:
        services.issue_invoice(
            issuer=issuer,
            addressee=addressee,
            fee_kind=FeeKind.REVIEW,
            lines=[Line("審査料金", "Review fee", 1, 80000, Decimal("10"))],
            amounts_include_tax=True,
            schedule_id="test",
            transaction_date=datetime.date(2026, 4, 10),
            due_on=datetime.date(2026, 4, 10),
        )

    def work(index: int) -> None:
        try:
            barrier.wait()
            for n in range(per_thread):
                if index % 2 == 0 and n == 0:
                    try:
                        with transaction.atomic():
                            issue()
                            raise Boom
                    except Boom:
                        pass
                issue()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    numbers = list(Invoice.objects.filter(issuer=issuer).values_list("sequence_number", flat=True))
    print(json.dumps({"numbers": numbers, "errors": errors}))


if __name__ == "__main__":
    main()
