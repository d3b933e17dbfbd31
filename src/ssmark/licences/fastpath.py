"""The lean serving path of the public hot paths, in front of Django's WSGI handler.

`ssmark.wsgi.application` is `PublicFastPath(django_application)`. For GET/HEAD of

- `/licences/<number>/mark.svg` (the live mark, 404 image for an unknown number),
- `/licences/<number>/` (the verification page of a known number),
- `/registry/` for a visitor without a session (anonymous),

it answers from the in-process snapshot (ssmark.licences.snapshot) with the same functions the
Django views use (ssmark.licences.public: `mark_answer`, `verify_answer`,
`anonymous_registry_html`), skipping the request object, middleware, sessions, URL resolving
and template rendering (pages are rendered once per snapshot, day and key; the mark's SVG bytes
once per state). Everything else, and any request it is unsure of (an unknown host, a
signed-in visitor, an https redirect to make, an error), goes to Django unchanged. Validity is
still decided per request by date; the snapshot is checked for changes every
SSMARK_PUBLIC_CHECK_MS.

The headers Django's middleware would add are added here too (nosniff, referrer policy,
COOP, X-Frame-Options, HSTS over https, the site's CSP on pages, Content-Language and Vary
on the registry, the CSRF cookie for its language form).
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse
from django.http.request import split_domain_port, validate_host
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.translation import trans_real

from . import public

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MARK_PATH = re.compile(r"/licences/([A-Z][0-9]{4,7})/mark\.svg")
VERIFY_PATH = re.compile(r"/licences/([A-Z][0-9]{4,7})/")
STATUS_LINES = {s.value: f"{s.value} {s.phrase}" for s in HTTPStatus}
# A visitor carrying the session cookie (SESSION_COOKIE_NAME) or one of these goes through
# Django (signed in; a flash message to show).
DJANGO_COOKIES = ("messages",)


@functools.lru_cache(maxsize=256)
def _host_allowed(host: str) -> bool:
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def _is_secure(environ: dict[str, Any]) -> bool:
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, value = header
        forwarded = environ.get(name)
        if forwarded is not None:
            return bool(forwarded.split(",", 1)[0].strip() == value)
    return bool(environ.get("wsgi.url_scheme") == "https")


def _site_headers(environ: dict[str, Any], *, page: bool) -> list[tuple[str, str]] | None:
    """The headers of Django's middleware; None when Django must answer (https redirect)."""
    secure = _is_secure(environ)
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    headers: list[tuple[str, str]] = []
    if secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    policy = getattr(settings, "SSMARK_CSP", "")
    if page and policy:
        headers.append(("Content-Security-Policy", policy))
    return headers


@functools.lru_cache(maxsize=1024)
def _language(cookie: str | None, accept: str) -> str:
    """Django's choice (LocaleMiddleware) for a visitor without a session: the language
    cookie, then Accept-Language, then LANGUAGE_CODE."""
    if cookie:
        try:
            return trans_real.get_supported_language_variant(cookie)
        except LookupError:
            pass
    for code, _q in trans_real.parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return trans_real.get_supported_language_variant(code)
        except LookupError:
            continue
    return trans_real.get_supported_language_variant(settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=4)
def _csrf_cookie_template(_second: int) -> str:
    """Django's CSRF cookie (as CsrfViewMiddleware sets it) with "{}" for the secret; made
    once a second (its Expires date)."""
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        "SSMARKSECRETPLACEHOLDER",
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    text = response.cookies[settings.CSRF_COOKIE_NAME].OutputString()
    return text.replace("{", "{{").replace("}", "}}").replace("SSMARKSECRETPLACEHOLDER", "{}")


_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {c: i for i, c in enumerate(_CHARS)}
_LIMIT = 256 - 256 % len(_CHARS)  # unbiased: bytes at or above this are dropped


def _random_chars(count: int) -> str:
    """`count` characters of CSRF_ALLOWED_CHARS from the OS's CSPRNG, uniformly (as Django's
    get_random_string, with one system call instead of one per character)."""
    out: list[str] = []
    while len(out) < count:
        out += [_CHARS[b % len(_CHARS)] for b in secrets.token_bytes(2 * count) if b < _LIMIT]
    return "".join(out[:count])


def _mask(secret: str) -> str:
    """The form token for `secret`: Django's masking (django.middleware.csrf, since 4.1: a
    fresh mask, then the secret shifted by it), so every page carries a different token."""
    mask = _random_chars(CSRF_SECRET_LENGTH)
    n = len(_CHARS)
    cipher = "".join(_CHARS[(_INDEX[x] + _INDEX[y]) % n] for x, y in zip(secret, mask, strict=True))
    return mask + cipher


@functools.lru_cache(maxsize=512)
def _page_parts(html: str) -> list[bytes]:
    """A memoised page (the same str object each time, its hash cached) as bytes, split at
    the CSRF placeholder."""
    return [part.encode() for part in html.split(public.CSRF_PLACEHOLDER)]


def _valid_secret(secret: str | None) -> bool:
    return (
        secret is not None
        and len(secret) == CSRF_SECRET_LENGTH
        and all(c in CSRF_ALLOWED_CHARS for c in secret)
    )


class PublicFastPath:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = environ.get("REQUEST_METHOD")
        path = environ.get("PATH_INFO", "")
        if method in ("GET", "HEAD") and (path.startswith("/licences/") or path == "/registry/"):
            try:
                answer = self.answer(environ, path)
            except Exception:  # the full stack answers instead (and reports it)
                logger.exception("public fast path failed for %s", path)
                answer = None
            if answer is not None:
                status, headers, body = answer
                start_response(STATUS_LINES[status], headers)
                return [b""] if method == "HEAD" else [body]
        return self.app(environ, start_response)

    def answer(
        self, environ: dict[str, Any], path: str
    ) -> tuple[int, list[tuple[str, str]], bytes] | None:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not _host_allowed(host):
            return None
        match = MARK_PATH.fullmatch(path)
        if match:
            site = _site_headers(environ, page=False)
            if site is None:
                return None
            answer = public.mark_answer(match.group(1), environ.get("HTTP_IF_NONE_MATCH"))
            return answer.status, answer.header_list() + site, answer.body
        match = VERIFY_PATH.fullmatch(path)
        if match:
            site = _site_headers(environ, page=True)
            if site is None:
                return None
            found = public.verify_answer(match.group(1), environ.get("HTTP_IF_NONE_MATCH"))
            if found is None:  # Django's bilingual 404 page
                return None
            return found.status, found.header_list() + site, found.body
        if path == "/registry/":
            return self.registry(environ)
        return None

    def registry(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes] | None:
        cookies = SimpleCookie()
        raw_cookie = environ.get("HTTP_COOKIE", "")
        if raw_cookie:
            try:
                cookies.load(raw_cookie)
            except Exception:
                return None
            if settings.SESSION_COOKIE_NAME in cookies or any(c in cookies for c in DJANGO_COOKIES):
                return None
        site = _site_headers(environ, page=True)
        if site is None:
            return None
        query = environ.get("QUERY_STRING", "")
        params = dict(parse_qsl(query, keep_blank_values=True))
        lang_cookie = cookies.get(settings.LANGUAGE_COOKIE_NAME)
        lang = _language(
            lang_cookie.value if lang_cookie else None, environ.get("HTTP_ACCEPT_LANGUAGE", "")
        )
        full_path = "/registry/" + (f"?{query}" if query else "")
        html = public.anonymous_registry_html(
            lang, params.get("q", ""), params.get("page"), full_path
        )
        token_cookie = cookies.get(settings.CSRF_COOKIE_NAME)
        secret = token_cookie.value if token_cookie else None
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Language", lang),
            ("Vary", "Accept-Language, Cookie"),
        ]
        if not _valid_secret(secret):
            secret = _random_chars(CSRF_SECRET_LENGTH)
            cookie = _csrf_cookie_template(int(time.time())).format(secret)
            headers.append(("Set-Cookie", cookie))
        assert secret is not None
        token = _mask(secret).encode()
        body = token.join(_page_parts(html))
        headers.append(("Content-Length", str(len(body))))
        headers += public.SECURITY_HEADERS
        return 200, headers + site, body
