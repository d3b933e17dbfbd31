"""`ssmark demo`: migrate, load the catalog and every app's demo data. Safe to run twice."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load the criteria catalog and the demo data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_catalog", stdout=self.stdout)
        # Each app may ship a `demo` module with `load(out)`; apps load in INSTALLED_APPS order,
        # so organisations and users exist before the applications that refer to them. A module
        # may also have `prepare(out)`: run once the organisations exist, before any app's
        # `load` (e.g. the reception bodies' invoice details, printed on the first invoices).
        modules = []
        for config in apps.get_app_configs():
            if not config.name.startswith("ssmark."):
                continue
            try:
                modules.append(importlib.import_module(f"{config.name}.demo"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
        for index, module in enumerate(modules):
            module.load(out=self.stdout)
            if module.__name__ == "ssmark.accounts.demo":
                for later in modules[index + 1 :]:
                    if hasattr(later, "prepare"):
                        later.prepare(out=self.stdout)
        from ssmark.accounts.demo import print_logins

        print_logins(out=self.stdout)
