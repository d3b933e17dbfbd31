"""Which Django settings object is in force: the key of memos of values read from settings.

`django.conf.settings` is a lazy proxy in front of a settings object; override_settings (and
pytest-django's `settings` fixture) puts another object in front while it is active and the
previous one back after. A value derived from settings and kept with the object it was read
from is therefore right while `settings_object()` is that same object (compare with `is`, and
keep a reference to it so that its identity cannot be reused).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def settings_object() -> Any:
    """The settings object behind `django.conf.settings` (`empty` before it is configured).

    Read past LazyObject's own __getattribute__ (written in Python; ~0.2 µs, this ~0.05 µs):
    the public hot paths ask on every request."""
    return object.__getattribute__(settings, "_wrapped")
