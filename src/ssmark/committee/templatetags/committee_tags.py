from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A person's name as `User.display_name` gives it (family name first); "" for nobody."""
    return "" if user is None else str(user.display_name)
