"""One limit for every free-text field (settings.TEXT_LIMIT), stated to the person typing.

`limited_text(...)` is a form field whose widget carries `maxlength` and a live counter
(static ssmark/textcounter.js), and whose error names the limit and the length typed; the
form re-renders with the typed text, so nothing typed is thrown away.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

ERROR_TOO_LONG = _(
    "This text is %(show_value)d characters long; the limit is %(limit_value)d. "
    "What you typed is kept below: shorten it and save again."
)


def text_limit() -> int:
    return int(settings.TEXT_LIMIT)


def limited_text(*, label: Any = "", required: bool = True, rows: int = 3, **kwargs: Any) -> Any:
    limit = text_limit()
    attrs = {"rows": rows, "maxlength": limit, "data-counter": ""}
    attrs.update(kwargs.pop("attrs", {}))
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        strip=kwargs.pop("strip", True),
        widget=forms.Textarea(attrs=attrs),
        error_messages={"max_length": ERROR_TOO_LONG, **kwargs.pop("error_messages", {})},
        **kwargs,
    )
