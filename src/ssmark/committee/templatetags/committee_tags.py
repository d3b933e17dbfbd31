from __future__ import annotations

from typing import Any

from django import template

from ssmark.committee.services import display_name

register = template.Library()


@register.filter
def person(user: Any) -> str:
    """A person's name in Japanese order (family name first), or the user name."""
    return "" if user is None else display_name(user)
