from __future__ import annotations

from typing import Any


def person_name(user: Any) -> str:
    """A person's name in Japanese order (family name first): `User.display_name`."""
    if user is None:
        return "—"
    return str(user.display_name)
