from __future__ import annotations

from typing import Any


def person_name(user: Any) -> str:
    """A person's name in Japanese order (family name first), else the user name."""
    if user is None:
        return "—"
    full = " ".join(part for part in (user.last_name, user.first_name) if part)
    return str(full or user.username)
