from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str) -> str:
    """A navigation link that marks itself current; renders nothing for an unknown route."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    request: HttpRequest | None = context.get("request")
    current = request is not None and request.path.startswith(url) and url != "/"
    return format_html(
        '<a href="{}"{}>{}</a>', url, ' aria-current="page"' if current else "", label
    )
