"""`ssmark serve` runs granian over the WSGI application with the public fast path in front,
one worker per core by default, static files from STATIC_ROOT, settings-driven threads."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command

from ssmark.core.management.commands import serve

pytestmark = pytest.mark.django_db


class FakeServer:
    made: list[dict[str, Any]] = []

    def __init__(self, target: str, **kwargs: Any) -> None:
        self.made.append({"target": target, **kwargs})

    def serve(self) -> None:
        self.made[-1]["served"] = True


@pytest.fixture
def fake_server(monkeypatch):
    import granian.server

    FakeServer.made = []
    monkeypatch.setattr(granian.server, "Server", FakeServer)
    return FakeServer.made


def test_serve_runs_granian_with_the_wsgi_application(fake_server, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.SSMARK_THREADS = 3
    call_command("serve", "--port", "8123")
    (made,) = fake_server
    assert made["served"] and made["target"] == "ssmark.wsgi:application"
    assert made["interface"].value == "wsgi"
    assert (made["address"], made["port"]) == ("127.0.0.1", 8123)
    assert made["workers"] == (os.cpu_count() or 1)
    assert made["blocking_threads"] == 3
    assert made["static_path_route"] == ["/static"]
    assert made["static_path_mount"] == [tmp_path / "static"]
    assert made["log_access"] is False


def test_workers_threads_and_access_log_are_options(fake_server, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.SSMARK_ACCESS_LOG = str(tmp_path / "access.log")
    call_command("serve", "--workers", "5", "--threads", "1")
    (made,) = fake_server
    assert (made["workers"], made["blocking_threads"]) == (5, 1)
    assert made["log_access"] is True
    handler = made["log_dictconfig"]["handlers"]["access"]
    assert handler["filename"] == str(tmp_path / "access.log")
    assert "granian.access" in made["log_dictconfig"]["loggers"]


def test_the_target_is_the_fast_path_in_front_of_django():
    from ssmark.licences.fastpath import PublicFastPath
    from ssmark.wsgi import application

    assert isinstance(application, PublicFastPath)
    assert serve.Command.help.endswith("granian.")
