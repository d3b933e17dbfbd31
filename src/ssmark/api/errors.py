"""The API's one error shape, for every refusal: `{"code", "message", "field"?, "errors"?}`.

`code` is stable and language-free; `message` is in the request's language (Accept-Language,
ja or en, chosen by Django's LocaleMiddleware); a validation error names the `field`.
Refusals of the workflows (`ssmark.core.refusals.Refusal`; every app's error type is one) answer
with their own `as_dict()` and status, here, in one place, so views just call the service
functions.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response

from ssmark.core.refusals import Refusal

ERROR_NOT_FOUND = _("Not found.")
ERROR_FORBIDDEN = _("You may not do this.")
ERROR_THROTTLED = _("Too many requests with this token; try again in %(seconds)s seconds.")
ERROR_INVALID = _("The request is not valid.")
ERROR_METHOD = _("This method is not allowed here.")
ERROR_UNSUPPORTED = _("This request body is not accepted here.")
ERROR_NOT_ACCEPTABLE = _("Only JSON can be returned.")
ERROR_MALFORMED = _("The request body could not be read.")


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            out.extend(_flatten(value, f"{prefix}.{name}" if prefix and name else name or prefix))
    elif isinstance(detail, list):
        for value in detail:
            out.extend(_flatten(value, prefix))
    else:
        row = {"message": force_str(detail)}
        if prefix:
            row["field"] = prefix
        out.append(row)
    return out


def error_body(code: str, message: Any, field: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": force_str(message)}
    if field:
        body["field"] = field
    body.update(extra)
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    if isinstance(exc, Refusal):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response(error_body("not_found", ERROR_NOT_FOUND), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(error_body("not_allowed", ERROR_FORBIDDEN), status=403)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = errors[0] if errors else {"message": force_str(ERROR_INVALID)}
        body = error_body("invalid", first["message"], first.get("field"), errors=errors)
        return Response(body, status=400)
    if isinstance(exc, exceptions.Throttled):
        wait = max(1, int(exc.wait or 1))
        headers["Retry-After"] = str(wait)
        body = error_body("rate_limited", force_str(ERROR_THROTTLED) % {"seconds": wait})
        return Response(body, status=429, headers=headers)
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "not_authenticated"
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return Response(error_body(code, exc.detail), status=401, headers=headers)
    if isinstance(exc, exceptions.PermissionDenied):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) and codes != "permission_denied" else "not_allowed"
        message = exc.detail if code != "not_allowed" else ERROR_FORBIDDEN
        return Response(error_body(code, message), status=403)
    if isinstance(exc, exceptions.MethodNotAllowed):
        return Response(error_body("method_not_allowed", ERROR_METHOD), status=405)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response(error_body("unsupported_media_type", ERROR_UNSUPPORTED), status=415)
    if isinstance(exc, exceptions.NotAcceptable):
        return Response(error_body("not_acceptable", ERROR_NOT_ACCEPTABLE), status=406)
    if isinstance(exc, exceptions.ParseError):
        return Response(error_body("malformed", ERROR_MALFORMED), status=400)
    if isinstance(exc, exceptions.APIException):
        return Response(error_body("error", exc.detail), status=exc.status_code)
    return None
