"""`ssmark serve`: apply migrations and serve the app with granian (a production server).

granian (Rust HTTP/1.1 and HTTP/2, WSGI interface) runs one worker process per CPU core
(SSMARK_WORKERS), each with a few Python threads (--threads); it parses HTTP outside Python,
serves /static/ itself from STATIC_ROOT, and streams request bodies to the app (a 1 GB scan
upload does not sit in memory). The public hot paths take the lean WSGI path of
ssmark.licences.fastpath inside it. Several such processes or hosts can share one PostgreSQL
behind nginx: deploy/README.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ssmark.core.siteurl import mismatch_warning


class Command(BaseCommand):
    help = "Apply migrations and serve ssmark with granian."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.SSMARK_WORKERS,
            help="worker processes (default: one per CPU core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.SSMARK_THREADS,
            help="Python threads per worker (default: SSMARK_THREADS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from granian.constants import Interfaces
        from granian.server import Server

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        workers = options["workers"] or (os.cpu_count() or 1)
        host, port = options["host"], options["port"]
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
        # The workers that read uploaded scan reports (item 2-1-1) run beside the server and
        # stop with it: here when the server returns or raises (SIGTERM, Ctrl-C, an error),
        # and by themselves when this process dies without getting here (--parent).
        from ssmark.applications.scanjobs import start_worker_processes, stop_worker_processes

        access_log = settings.SSMARK_ACCESS_LOG
        procs = start_worker_processes()
        try:
            Server(
                "ssmark.wsgi:application",
                address=host,
                port=port,
                interface=Interfaces.WSGI,
                websockets=False,
                workers=workers,
                blocking_threads=options["threads"],
                backlog=2048,
                static_path_route=[str(settings.STATIC_URL).rstrip("/")],
                static_path_mount=[Path(settings.STATIC_ROOT)],
                log_access=bool(access_log),
                log_dictconfig=_access_log_config(access_log) if access_log else None,
                respawn_failed_workers=True,
            ).serve()
        finally:
            stop_worker_processes(procs)


def _access_log_config(path: str) -> dict[str, Any]:
    """granian's access log to the file SSMARK_ACCESS_LOG ("-": the standard output)."""
    handler: dict[str, Any] = (
        {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}
        if path == "-"
        else {"class": "logging.FileHandler", "filename": path}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"access": handler},
        "loggers": {"granian.access": {"handlers": ["access"], "level": "INFO"}},
    }
