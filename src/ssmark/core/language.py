"""Each person's language: the header's switch remembers it on the person's profile, and a
signed-in person's pages follow it when the browser has not chosen one itself (a new browser,
a link from an e-mail). E-mails and notifications use the same profile setting."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switch (cookie, redirect back), plus the signed-in person's profile."""
    response = django_set_language(request)
    chosen = request.POST.get("language", "")
    user = request.user
    languages = {code for code, _ in settings.LANGUAGES}
    if (
        request.method == "POST"
        and chosen in languages
        and user.is_authenticated
        and getattr(user, "language", chosen) != chosen
    ):
        user.language = chosen
        user.save(update_fields=["language"])
    return response


class PersonLanguageMiddleware:
    """After authentication: a signed-in person without a language cookie sees their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and getattr(user, "language", "")
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
