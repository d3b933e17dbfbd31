"""The one refusal type. A workflow that says "no" raises a subclass of `Refusal`.

The message stays a lazy translation (with its parameters) until it is shown, so the same
refusal reads in Japanese on a Japanese page, in English in an English API response, and can be
compared with the module constant in tests (`exc.message is ERROR_X`). `code` is a stable,
language-free identifier for the API and the logs.

Views show refusals one way: `show_refusal(request, exc)` (a message on the next page), or let
them propagate: `RefusalMiddleware` answers an uncaught refusal with a 409 page naming it.
"""

from __future__ import annotations

from typing import Any

from django.utils.encoding import force_str
from django.utils.functional import Promise


class Refusal(Exception):
    """A request the rules refuse. Subclass it per app; never raise it for a bug."""

    #: a stable, language-free identifier; subclasses set their own default
    default_code = "refused"
    #: the HTTP status the API and the middleware answer with
    status_code = 409

    def __init__(
        self,
        message: str | Promise,
        params: dict[str, Any] | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.params = dict(params or {})
        self.code = code or self.default_code
        self.field = field
        super().__init__(message)

    @property
    def text(self) -> str:
        """The message in the active language, with its parameters filled in."""
        text = force_str(self.message)
        if self.params:
            try:
                return text % self.params
            except (KeyError, TypeError, ValueError):
                return text
        return text

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict[str, Any]:
        """The API's error body: a stable code, the message in the active language, the field."""
        body: dict[str, Any] = {"code": self.code, "message": self.text}
        if self.field:
            body["field"] = self.field
        return body


class NotAllowed(Refusal):
    """The person may not do this (the role or organisation is wrong)."""

    default_code = "not_allowed"
    status_code = 403


class WrongState(Refusal):
    """The object is not in a state that allows this step."""

    default_code = "wrong_state"


class InvalidInput(Refusal):
    """A value the person gave is wrong; `field` names it."""

    default_code = "invalid"
    status_code = 400


def show_refusal_on_form(form: Any, exc: Refusal, field: str | None = None) -> None:
    """Show a refusal on the form being redisplayed: beside its field (`exc.field`, or
    `field` where the form names it otherwise) when the form has that field, else above it."""
    name = field or exc.field
    form.add_error(name if name in form.fields else None, exc.text)


def show_refusal(request: Any, exc: Refusal) -> None:
    """Show a refusal to the person on the next page they see."""
    from django.contrib import messages

    messages.error(request, exc.text)


class RefusalMiddleware:
    """Answers a refusal that a view let through with a page that names it (no 500)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_exception(self, request: Any, exception: Exception) -> Any:
        if not isinstance(exception, Refusal):
            return None
        from django.template.response import TemplateResponse

        response = TemplateResponse(
            request,
            "core/refused.html",
            {"refusal": exception, "message": exception.text},
            status=exception.status_code,
        )
        return response.render()
