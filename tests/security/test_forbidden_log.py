"""Point 9: a refused request (403) is logged as one line, without a traceback."""

from __future__ import annotations

import logging
import logging.config

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_403_is_logged_without_traceback(users, client_for, capsys) -> None:
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    logging.config.dictConfig(settings.LOGGING)  # the console handler writes to captured stderr
    try:
        assert client_for("ren").get("/fees/").status_code == 403
        err = capsys.readouterr().err
    finally:
        for handler in list(root.handlers):
            if handler not in handlers_before:
                root.removeHandler(handler)
    assert "Forbidden" in err and "/fees/" in err
    assert "Traceback" not in err and "PermissionDenied" not in err
