"""The lean WSGI path of the public hot paths (ssmark.licences.fastpath, in front of Django in
ssmark.wsgi): the same answers as the Django views, without sessions or middleware; anything
it is unsure of goes to Django; changes reach every process within SSMARK_PUBLIC_CHECK_MS."""

from __future__ import annotations

import datetime
import io
import os
import re
import sys
from typing import Any

import pytest
from django.core import signals
from django.db import close_old_connections
from django.middleware.csrf import CSRF_ALLOWED_CHARS, _get_new_csrf_string, _unmask_cipher_token
from django.test import Client, override_settings

from ssmark.core import clock
from ssmark.licences import public, scheme, snapshot
from ssmark.licences.fastpath import PublicFastPath, _mask, _random_chars
from ssmark.licences.services import revoke_licence, suspend_licence
from ssmark.wsgi import application, django_application

pytestmark = pytest.mark.django_db

VALID_SHIELD = "M26 0 L50 8"
TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]+)')


def call(
    app: Any, path: str, *, method: str = "GET", query: str = "", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    status, header_list, body = call_raw(app, path, method=method, query=query, **headers)
    return int(status.split()[0]), dict(header_list), body


def call_raw(
    app: Any, path: str, *, method: str = "GET", query: str = "", **headers: str
) -> tuple[str, list[tuple[str, str]], bytes]:
    """The status line, the header list (in order) and the body."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    seen: dict[str, Any] = {}

    def start_response(status: str, header_list: list[tuple[str, str]], exc_info=None) -> None:
        seen["status"] = status
        seen["headers"] = header_list

    result = application if app is None else app
    # As Django's test client does: the test's transaction keeps its connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(result(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body


class Recorder:
    """Stands for Django: records what reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.paths.append(environ["PATH_INFO"])
        start_response("204 No Content", [])
        return [b""]


def test_the_mark_is_the_django_views_answer_without_session_headers(licence, client: Client):
    status, headers, body = call(None, "/licences/J0001/mark.svg")
    django = client.get("/licences/J0001/mark.svg")
    assert status == 200 and body == django.content
    assert headers["ETag"] == django["ETag"]
    assert headers["Content-Type"] == "image/svg+xml"
    assert headers["Cache-Control"] == django["Cache-Control"]
    assert "stale-while-revalidate" in headers["Cache-Control"]
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Set-Cookie" not in headers and "Vary" not in headers
    assert VALID_SHIELD in body.decode()
    again = call(None, "/licences/J0001/mark.svg", if_none_match=headers["ETag"])
    assert again[0] == 304 and again[2] == b""
    head = call(None, "/licences/J0001/mark.svg", method="HEAD")
    assert head[0] == 200 and head[2] == b"" and head[1]["Content-Length"] == str(len(body))


def test_unknown_number_gets_the_404_image_on_the_lean_path(db):
    status, headers, body = call(None, "/licences/J9999/mark.svg")
    assert status == 404 and headers["Content-Type"] == "image/svg+xml"
    assert "該当する許諾はありません" in body.decode()


def test_the_verification_page_is_the_django_views_page(licence, client, settings):
    settings.SSMARK_CSP = "default-src 'self'"
    status, headers, body = call(None, "/licences/J0001/")
    django = client.get("/licences/J0001/")
    assert status == 200 and body == django.content and headers["ETag"] == django["ETag"]
    assert headers["Content-Security-Policy"] == "default-src 'self'"
    assert headers["X-Frame-Options"] == "DENY"
    # No such licence: Django's bilingual 404 page.
    missing = call(None, "/licences/J9999/")
    assert missing[0] == 404 and "No such licence" in missing[2].decode()


def test_anonymous_registry_page_carries_a_working_csrf_token(licence, client):
    status, headers, body = call(None, "/registry/", accept_language="ja")
    assert status == 200 and 'data-number="J0001"' in body.decode()
    assert headers["Content-Language"] == "ja" and "Cookie" in headers["Vary"]
    cookie = re.match(r"csrftoken=([A-Za-z0-9]+);", headers["Set-Cookie"])
    assert cookie and "SameSite=Lax" in headers["Set-Cookie"]
    tokens = {m.group(2) for m in TOKEN.finditer(body.decode())}
    assert len(tokens) == 1
    # The same page as Django renders, token aside.
    django = client.get("/registry/").content.decode()
    assert TOKEN.sub(r"\1", body.decode()) == TOKEN.sub(r"\1", django)
    # Django accepts the token with the cookie: the language switch works from this page.
    strict = Client(enforce_csrf_checks=True)
    strict.cookies["csrftoken"] = cookie.group(1)
    answer = strict.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/registry/", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert answer.status_code == 302
    # A visitor who has the cookie keeps it, with a fresh token on every page.
    again = call(None, "/registry/", cookie=f"csrftoken={cookie.group(1)}")
    assert "Set-Cookie" not in again[1]
    assert TOKEN.search(again[2].decode()).group(2) != TOKEN.search(body.decode()).group(2)


def test_registry_language_follows_cookie_then_accept_language(licence):
    english = call(None, "/registry/", accept_language="en-GB,en;q=0.8")
    assert english[1]["Content-Language"] == "en"
    assert "Registry of licensed services" in english[2].decode()
    chosen = call(None, "/registry/", accept_language="en", cookie="ssmark_language=ja")
    assert chosen[1]["Content-Language"] == "ja"
    assert "マーク" in chosen[2].decode()


def test_registry_search_and_pages_on_the_lean_path(licence):
    hit = call(None, "/registry/", query="q=%E3%82%B5%E3%83%B3%E3%83%97%E3%83%AB")  # サンプル
    assert 'data-number="J0001"' in hit[2].decode()
    miss = call(None, "/registry/", query="q=nothing-like-it")
    assert 'data-number="J0001"' not in miss[2].decode()


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/registry/", "GET", {"cookie": "sessionid=abc"}),  # signed in: Django
        ("/registry/", "GET", {"cookie": "messages=abc"}),  # a flash message to show
        ("/licences/J0001/mark.svg", "POST", {}),
        ("/licences/j0001/mark.svg", "GET", {}),  # lower case: Django redirects
        ("/licences/mine/", "GET", {}),
        ("/licences/J0001/credential", "GET", {}),
        ("/licences/J0001/mark.svg", "GET", {"host": "evil.example"}),  # Django: 400
    ],
)
def test_what_goes_to_django(licence, path, method, headers):
    recorder = Recorder()
    call(PublicFastPath(recorder), path, method=method, **headers)
    assert recorder.paths == [path]


def test_a_renamed_session_cookie_still_goes_to_django(licence, settings):
    settings.SESSION_COOKIE_NAME = "__Host-ssmark"
    recorder = Recorder()
    call(PublicFastPath(recorder), "/registry/", cookie="__Host-ssmark=abc")
    assert recorder.paths == ["/registry/"]


def test_https_redirect_is_left_to_django(licence, settings):
    settings.SECURE_SSL_REDIRECT = True
    recorder = Recorder()
    call(PublicFastPath(recorder), "/licences/J0001/mark.svg")
    assert recorder.paths == ["/licences/J0001/mark.svg"]


def test_a_revocation_reaches_the_lean_path_within_the_check_interval(
    licence, users, settings, monkeypatch
):
    settings.SSMARK_PUBLIC_CHECK_MS = 1000
    moment = [1000.0]
    monkeypatch.setattr(snapshot.time, "monotonic", lambda: moment[0])
    snapshot.reset()
    assert VALID_SHIELD in call(None, "/licences/J0001/mark.svg")[2].decode()
    revoke_licence(licence=licence, actor=users["sue"], ground="report_not_made", reason="未報告")
    moment[0] += 0.5  # within the interval this process has not looked yet
    assert VALID_SHIELD in call(None, "/licences/J0001/mark.svg")[2].decode()
    moment[0] += 0.6  # past it: the token changed, the snapshot is reloaded
    body = call(None, "/licences/J0001/mark.svg")[2].decode()
    assert VALID_SHIELD not in body and "許諾取消" in body
    assert call(None, "/licences/J0001/")[2].decode().count('data-valid="false"') == 1
    assert 'data-number="J0001"' not in call(None, "/registry/")[2].decode()


def test_a_lapse_by_date_needs_no_reload(licence, settings, freeze_today):
    settings.SSMARK_PUBLIC_CHECK_MS = 5000
    freeze_today(datetime.date(2028, 1, 9))
    assert VALID_SHIELD in call(None, "/licences/J0001/mark.svg")[2].decode()
    freeze_today(datetime.date(2028, 1, 10))  # same snapshot, next day in Tokyo
    assert VALID_SHIELD not in call(None, "/licences/J0001/mark.svg")[2].decode()
    assert 'data-number="J0001"' not in call(None, "/registry/")[2].decode()
    assert clock.today() == datetime.date(2028, 1, 10)


def test_the_served_application_is_the_fast_path_in_front_of_django():
    assert isinstance(application, PublicFastPath) and application.app is django_application


def test_kept_pages_are_bounded_whatever_is_asked_for(licence, monkeypatch):
    # A flood of distinct queries cannot grow a process's memory without bound.
    monkeypatch.setitem(snapshot.MEMO_LIMITS, "pages", 5)
    for n in range(12):
        assert call(None, "/registry/", query=f"q=x{n}")[0] == 200
    assert len(snapshot.current().memo["pages"]) <= 5


# --- Kept answers: a mark or verification page is kept whole on the snapshot, with the inputs
# it was made from; each test changes one input and expects the very next call to follow.

MARK = "/licences/J0001/mark.svg"
PAGE = "/licences/J0001/"
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=30"


def kept(path: str, secure: bool = False) -> Any:
    return snapshot.current().memo["answers"].get((path, secure))


def test_a_repeat_call_is_the_kept_answer_with_its_304(licence, client):
    first = call_raw(None, MARK)
    assert kept(MARK) is not None and kept(MARK).full == first
    assert call_raw(None, MARK) == first
    etag = dict(first[1])["ETag"]
    # The 304 is what public.mark_answer (and so the Django view) answers to If-None-Match.
    status, headers, body = call_raw(None, MARK, if_none_match=f'"other", {etag}')
    fresh = public.mark_answer("J0001", etag)
    assert (status, body) == ("304 Not Modified", b"") and fresh.status == 304
    assert headers[: len(fresh.header_list())] == fresh.header_list()
    django = client.get(MARK, HTTP_IF_NONE_MATCH=etag)
    assert django.status_code == 304 and dict(headers)["Cache-Control"] == django["Cache-Control"]
    assert call_raw(None, MARK, if_none_match='"other"') == first
    page = call(None, PAGE)
    assert kept(PAGE) is not None and call(None, PAGE) == page
    assert call(None, PAGE, if_none_match=page[1]["ETag"])[0] == 304


def test_a_suspension_shows_on_the_next_call(licence, users):
    assert VALID_SHIELD in call(None, MARK)[2].decode() and kept(MARK) is not None
    assert 'data-valid="true"' in call(None, PAGE)[2].decode() and kept(PAGE) is not None
    suspend_licence(licence=licence, actor=users["ada"], ground="report_not_made", reason="x")
    mark = call(None, MARK)[2].decode()
    assert VALID_SHIELD not in mark and "使用停止中" in mark
    assert 'data-valid="false"' in call(None, PAGE)[2].decode()


def test_the_next_day_shows_on_the_next_call(licence, freeze_today):
    freeze_today(datetime.date(2027, 6, 1))
    assert VALID_SHIELD in call(None, MARK)[2].decode() and kept(MARK) is not None
    assert 'data-valid="true"' in call(None, PAGE)[2].decode() and kept(PAGE) is not None
    freeze_today(datetime.date(2028, 1, 10))  # the day after valid_until, same snapshot
    assert VALID_SHIELD not in call(None, MARK)[2].decode()
    assert 'data-valid="false"' in call(None, PAGE)[2].decode()


def test_on_the_last_valid_day_the_lifetime_counts_down_to_midnight(licence, monkeypatch):
    moment = [datetime.datetime(2028, 1, 9, 23, 59, 30, tzinfo=clock.TOKYO)]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    first = call(None, MARK)
    assert VALID_SHIELD in first[2].decode()
    assert first[1]["Cache-Control"] == "public, max-age=30"
    moment[0] += datetime.timedelta(seconds=20)  # not kept: right for that second only
    assert call(None, MARK)[1]["Cache-Control"] == "public, max-age=10"
    assert call(None, PAGE)[1]["Cache-Control"] == "public, max-age=10"
    assert kept(MARK) is None and kept(PAGE) is None


def test_a_scheme_override_shows_on_the_next_call(licence):
    assert call(None, MARK)[1]["Cache-Control"] == CACHE_CONTROL and kept(MARK) is not None
    with scheme.override(mark_cache_seconds=5):
        assert call(None, MARK)[1]["Cache-Control"] == (
            "public, max-age=5, stale-while-revalidate=30"
        )
        assert call(None, PAGE)[1]["Cache-Control"].startswith("public, max-age=5,")
    assert call(None, MARK)[1]["Cache-Control"] == CACHE_CONTROL


def test_an_edited_scheme_file_shows_within_a_second(licence, settings, monkeypatch, tmp_path):
    moment = [1000.0]
    monkeypatch.setattr(scheme.time, "monotonic", lambda: moment[0])
    path = tmp_path / "scheme.yaml"
    shipped = scheme.scheme_path().read_text(encoding="utf-8")
    path.write_text(shipped.replace("cache_seconds: 60", "cache_seconds: 7"), encoding="utf-8")
    # Another settings object (override_settings): the file it names is read at once.
    settings.SSMARK_LICENCE_SCHEME_FILE = str(path)
    assert call(None, MARK)[1]["Cache-Control"].startswith("public, max-age=7,")
    path.write_text(shipped.replace("cache_seconds: 60", "cache_seconds: 9"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a modification time of its own, however coarse the clock
    moment[0] += 0.5  # within a second the last read stands (documented)
    assert call(None, MARK)[1]["Cache-Control"].startswith("public, max-age=7,")
    moment[0] += 0.6
    assert call(None, MARK)[1]["Cache-Control"].startswith("public, max-age=9,")
    assert call(None, PAGE)[1]["Cache-Control"].startswith("public, max-age=9,")
    assert scheme.settings().mark_cache_seconds == 9  # (the other readers: on the next call)


def test_a_settings_change_shows_on_the_next_call(licence, settings):
    settings.SSMARK_CSP = "default-src 'self'"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 600
    secure = {"x_forwarded_proto": "https"}
    assert call(None, MARK)[1]["Cache-Control"] == CACHE_CONTROL
    assert call(None, PAGE)[1]["Content-Security-Policy"] == "default-src 'self'"
    assert call(None, PAGE, **secure)[1]["Strict-Transport-Security"] == "max-age=600"
    assert "Strict-Transport-Security" not in call(None, PAGE)[1]
    assert kept(PAGE, secure=True) is not None
    with override_settings(SSMARK_PUBLIC_STALE_SECONDS=5, SSMARK_CSP="default-src 'none'"):
        assert call(None, MARK)[1]["Cache-Control"] == (
            "public, max-age=60, stale-while-revalidate=5"
        )
        assert call(None, PAGE)[1]["Content-Security-Policy"] == "default-src 'none'"
    assert call(None, MARK)[1]["Cache-Control"] == CACHE_CONTROL  # the previous object again
    settings.SECURE_HSTS_SECONDS = 60
    assert call(None, PAGE, **secure)[1]["Strict-Transport-Security"] == "max-age=60"
    settings.SITE_URL = "https://elsewhere.example"
    assert "https://elsewhere.example/licences/J0001/" in call(None, PAGE)[2].decode()
    settings.ALLOWED_HOSTS = ["elsewhere.example"]
    recorder = Recorder()
    call(PublicFastPath(recorder), MARK)
    assert recorder.paths == [MARK]  # testserver is no longer allowed: Django answers (400)


def test_kept_answers_are_bounded(licence, monkeypatch):
    monkeypatch.setitem(snapshot.MEMO_LIMITS, "answers", 3)
    for n in range(10):
        assert call(None, f"/licences/J{9000 + n}/mark.svg")[0] == 404
    assert 0 < len(snapshot.current().memo["answers"]) <= 3


def test_csrf_tokens_are_djangos():
    for _ in range(500):
        secret = _get_new_csrf_string()
        token = _mask(secret).decode("ascii")
        assert len(token) == 64 and _unmask_cipher_token(token) == secret
    chars = _random_chars(4000).decode("ascii")
    assert len(chars) == 4000 and set(chars) == set(CSRF_ALLOWED_CHARS)
