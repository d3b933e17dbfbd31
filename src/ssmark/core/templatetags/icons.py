"""`{% icon "file" %}`: a small inline SVG icon. No emoji: they render as empty boxes on
machines without a colour-emoji font, and their look differs from one system to the next.

Each icon is a 16×16 outline drawn with `currentColor`, hidden from screen readers unless a
`label` is given (`{% icon "check" label=_("met") %}`).
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Path data on a 16×16 grid (stroke, no fill), drawn for this project.
PATHS = {
    "globe": "M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M1.5 8h13M8 1.5c-2.2 2.4-2.2 10.6 0 13"
    "M8 1.5c2.2 2.4 2.2 10.6 0 13",
    "file": "M4 1.5h5.5L12.5 4.5V14.5H4zM9.5 1.5V4.5H12.5M6 8h4.5M6 10.5h4.5",
    "pen": "M2.5 13.5l1-3.5L11 2.5l2.5 2.5L6 12.5zM9.5 4l2.5 2.5",
    "check": "M2.5 8.5l3.5 3.5l7.5-8",
    "cross": "M3.5 3.5l9 9M12.5 3.5l-9 9",
    "warning": "M8 1.5L15 14H1zM8 6v4M8 11.5v1",
    "link": "M6.5 9.5l3-3M7 4.5l1.5-1.5a2.5 2.5 0 0 1 3.5 3.5L10.5 8M9 11.5L7.5 13a2.5 2.5 0 0 1"
    "-3.5-3.5L5.5 8",
}


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    path = PATHS.get(name)
    if path is None:
        raise template.TemplateSyntaxError(f"unknown icon {name!r}; known: {', '.join(PATHS)}")
    accessible = (
        format_html(' role="img" aria-label="{}"', label)
        if label
        else mark_safe(' aria-hidden="true"')
    )
    return format_html(
        '<svg class="icon icon-{}" width="16" height="16" viewBox="0 0 16 16" fill="none" '
        'stroke="currentColor" stroke-width="1.4" stroke-linecap="round" '
        'stroke-linejoin="round"{}><path d="{}"/></svg>',
        name,
        accessible,
        path,
    )
