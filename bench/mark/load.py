"""Load the benchmark's data into the database named by DATABASE_URL (run by run.py).

python bench/mark/load.py <count>
Migrates, loads the demo organisations and users, the seed 002 registry and `count` minus 112
synthetic licences, and prints one JSON line: {"count": ..., "number": <a valid licence in the
middle>, "etag": <its mark's ETag>}.
"""

from __future__ import annotations

import io
import json
import os
import sys


def main() -> None:
    count = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssmark.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from ssmark.accounts import demo as accounts_demo
    from ssmark.licences import demo
    from ssmark.licences.models import VALID_STATUSES, Licence

    call_command("migrate", interactive=False, verbosity=0)
    accounts_demo.load(out=io.StringIO())
    demo.load(out=io.StringIO())
    missing = count - Licence.objects.count()
    if missing > 0:
        demo.load_synthetic(missing)
    middle = (
        Licence.objects.filter(status__in=VALID_STATUSES, serial__gte=count // 2)
        .order_by("serial")
        .values_list("number", flat=True)
        .first()
    )
    response = Client().get(f"/licences/{middle}/mark.svg", HTTP_HOST="127.0.0.1")
    print(
        json.dumps({"count": Licence.objects.count(), "number": middle, "etag": response["ETag"]})
    )


if __name__ == "__main__":
    main()
