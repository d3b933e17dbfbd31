"""`ssmark serve`: apply migrations and serve the app with gunicorn (a production server)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ssmark.core.siteurl import mismatch_warning


class Command(BaseCommand):
    help = "Apply migrations and serve ssmark with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.SSMARK_WORKERS,
            help="worker processes (default: 2 per CPU core)",
        )
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        from ssmark.wsgi import application

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        workers = options["workers"] or 2 * (os.cpu_count() or 1)
        host, port = options["host"], options["port"]
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        display_host = f"[{host}]" if ":" in host else host
        self.stdout.write(f"ssmark is serving at http://{display_host}:{port}/  (Ctrl-C stops it)")
        self.stdout.write(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        warning = mismatch_warning(
            site_url=settings.SITE_URL,
            is_default=settings.SITE_URL_IS_DEFAULT,
            host=host,
            port=port,
        )
        if warning:
            self.stderr.write(warning)
        self.stdout.flush()
        # The worker that reads uploaded scan reports (item 2-1-1) runs beside the server.
        from ssmark.applications.scanjobs import start_worker_processes

        start_worker_processes()

        class Server(BaseApplication):
            def load_config(self) -> None:
                self.cfg.set("bind", [bind])
                self.cfg.set("workers", workers)
                self.cfg.set("threads", options["threads"])
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("accesslog", settings.SSMARK_ACCESS_LOG or None)
                self.cfg.set("timeout", 120)

            def load(self) -> Any:
                return application

        Server().run()
