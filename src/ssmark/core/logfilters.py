"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class NoTracebackFor403(logging.Filter):
    """A refused request (403) is logged as one line, without the PermissionDenied traceback:
    it is an expected answer, not a fault, and tracebacks would bury the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
