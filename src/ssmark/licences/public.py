"""Public, read-only endpoints: the live mark, the verification page, the signed credential,
the registry (HTML, CSV, JSON), the status list and the scheme's public keys.

Validity fails closed: every endpoint decides it per request from the status AND the dates
(ssmark.licences.validity; past `valid_until` in Asia/Tokyo a licence is not valid, whatever
the daily job has done). The data comes from the in-process snapshot of the public table
(ssmark.licences.snapshot), which every process refreshes within SSMARK_PUBLIC_CHECK_MS of a
change, so the hot paths make no query per request. The mark, verification page and registry
page are also served by the lean WSGI path (ssmark.licences.fastpath), which calls the same
functions below without Django's request machinery; these views are the same answers for the
rest of the stack (tests, `runserver`, signed-in visitors).

Caching: `Cache-Control: public, max-age=<mark.cache_seconds>, stale-while-revalidate=
<SSMARK_PUBLIC_STALE_SECONDS>` with an ETag (304 on If-None-Match); on a licence's last valid
day the lifetime ends at midnight in Tokyo, so no cache keeps a valid mark past its validity.
Cache keys and ETags carry the public status, validity day and effective date. The lifetime
comes from the licence scheme file (scheme.recent_settings): an edit takes effect here within
a second.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _

from ssmark.catalog.models import Scheme
from ssmark.core import clock
from ssmark.core.csvexport import csv_text
from ssmark.core.dates import ja_date

from . import demo_notice, mark, signing, snapshot, validity
from . import scheme as scheme_settings
from .models import REGISTRY_STATUSES, VALID_STATUSES, Licence, LicenceStatus, normalise

# Bump when verify.html changes, so cached pages (ETag) are replaced.
VERIFY_VERSION = "3"
SCHEME_NAMES = {"isp": ("ISP版", "ISP version"), "public_wifi": ("公衆無線LAN版", "Public Wi-Fi")}

# Texts of the bilingual public pages (shown in Japanese and English at once, whatever the
# visitor's language, so one cached page serves everyone).
TEXTS = {
    "title": _("Licence verification"),
    "licensed": _("This service is licensed to use the mark."),
    "not_valid": _("This mark is NOT valid."),
    "genuine": _(
        "Only the mark served from this site shows the licence's current status; "
        "a copied image proves nothing."
    ),
    "service": _("Service name"),
    "company": _("Company"),
    "number": _("Licence number"),
    "scheme": _("Scheme version"),
    "criteria": _("Criteria"),
    "since": _("Licensed since"),
    "valid_from": _("Valid from"),
    "valid_until": _("Valid until"),
    "status": _("Status"),
    "effective": _("Effective from"),
    "machine": _("Machine-verifiable statement"),
    "machine_hint": _(
        "A signed statement (JWS, EdDSA) of this licence, to be verified with the scheme's "
        "public keys; it expires soon, so fetch it again to see a revocation."
    ),
    "keys": _("Public keys"),
    "registry": _("Registry of licensed services"),
    "not_found_title": _("No such licence"),
    "not_found_text": _("No licence with this number exists. A mark showing it is not genuine."),
}


def both(text: Any) -> dict[str, str]:
    with translation.override("ja"):
        ja = str(text)
    with translation.override("en"):
        en = str(text)
    return {"ja": ja, "en": en}


@functools.cache
def bilingual_texts() -> dict[str, dict[str, str]]:
    return {key: both(text) for key, text in TEXTS.items()}


@functools.cache
def status_labels(status: str) -> tuple[str, str]:
    labels = both(LicenceStatus(status).label)
    return labels["ja"], labels["en"]


# --- Answers: what a public endpoint sends, independent of the serving path ------------------

# Headers Django's middleware adds to every response; the lean path adds them itself.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)
# An SVG opened on its own must not run anything.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    # The ETag in `headers`, for an answer that honours If-None-Match (mark, verification).
    etag: str | None = None
    # Its lifetime counts down to midnight in Tokyo (a licence's last valid day): the headers
    # are right for this second only, so the lean path must not keep the answer.
    until_midnight: bool = False

    def not_modified(self) -> Answer:
        """The 304 of this answer (If-None-Match matched its ETag): its headers, no body."""
        return replace(self, status=304, body=b"")

    def header_list(self) -> list[tuple[str, str]]:
        """The WSGI header list (lean path), security headers included."""
        out = [("Content-Type", self.content_type), ("Content-Length", str(len(self.body)))]
        out += self.headers
        out += SECURITY_HEADERS
        return out

    def response(self) -> HttpResponse:
        """The same answer as a Django response (views)."""
        response = HttpResponse(self.body, status=self.status, content_type=self.content_type)
        for name, value in self.headers:
            response[name] = value
        return response


def seconds_left_today() -> int:
    """Seconds until midnight in Tokyo (the end of today's validity)."""
    moment = clock.now().astimezone(clock.TOKYO)
    return 86_400 - (moment.hour * 3600 + moment.minute * 60 + moment.second)


def cache_headers(
    etag: str | None = None, *, last_valid_day: bool = False
) -> list[tuple[str, str]]:
    """CDN-friendly headers of the public paths. On a licence's last valid day the lifetime
    (with the stale window) ends at midnight in Tokyo: a valid answer is never kept longer."""
    max_age = scheme_settings.recent_settings().mark_cache_seconds
    stale = settings.SSMARK_PUBLIC_STALE_SECONDS
    if last_valid_day:
        left = seconds_left_today()
        if left < max_age + stale:
            max_age, stale = min(max_age, left), 0
    control = f"public, max-age={max_age}"
    if stale:
        control += f", stale-while-revalidate={stale}"
    headers = [
        ("Cache-Control", control),
        ("Access-Control-Allow-Origin", "*"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
    ]
    if etag:
        headers.append(("ETag", etag))
    return headers


def _last_valid_day(lic: snapshot.PublicLicence, status: str, today: datetime.date) -> bool:
    """Whether an answer showing `lic` as `status` on `today` says "valid" on its last valid
    day (then its cache lifetime ends at midnight: cache_headers)."""
    return lic.valid_until == today and status in VALID_STATUSES


def _list_ends_today(snap: snapshot.Snapshot, today: datetime.date) -> bool:
    """Whether a list of today's licences (registry downloads, status lists) says "valid" of
    a licence whose last valid day is today: then its cache lifetime ends at midnight too."""
    return snap.remember(
        ("ends_today", today), lambda: any(lic.valid_until == today for lic in snap.valid_on(today))
    )


def _public_headers(
    response: HttpResponseBase, etag: str | None = None, *, last_valid_day: bool = False
) -> HttpResponseBase:
    for name, value in cache_headers(etag, last_valid_day=last_valid_day):
        response[name] = value
    return response


def etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


def _not_modified(request: HttpRequest, etag: str) -> bool:
    return etag_matches(request.headers.get("If-None-Match"), etag)


def _only_get(request: HttpRequest) -> HttpResponseBase | None:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


def _canonical(request: HttpRequest, number: str) -> HttpResponseBase | None:
    """Licence numbers are upper case: /licences/j0001/ redirects to /licences/J0001/."""
    upper = number.upper()
    if upper != number and snapshot.current().get(upper) is not None:
        return HttpResponsePermanentRedirect(request.path.replace(number, upper, 1))
    return None


def not_found_answer(number: str) -> Answer:
    """No such licence: a bilingual 404 page, never a mark."""
    html = loader.get_template("licences/not_found.html").render(
        {"number": number, "t": bilingual_texts(), "SITE_URL": settings.SITE_URL}
    )
    return Answer(404, "text/html; charset=utf-8", html.encode(), cache_headers())


def not_found(request: HttpRequest, number: str) -> HttpResponse:
    return not_found_answer(number).response()


# --- The live mark ----------------------------------------------------------------------------


def mark_answer(number: str, if_none_match: str | None = None) -> Answer:
    """The mark of `number` as it is today; 404 with a "no such licence" image if unknown."""
    lic = snapshot.current().get(number)
    if lic is None:
        body = mark.render_not_found(number).encode()
        headers = [*cache_headers(), ("Content-Security-Policy", SVG_CSP)]
        return Answer(404, "image/svg+xml", body, headers)
    today = clock.today()
    status = lic.shown_status(today)
    body, etag = mark.rendered(number, status, lic.valid_until, lic.effective_on(today))
    last_day = _last_valid_day(lic, status, today)
    headers = [
        *cache_headers(etag, last_valid_day=last_day),
        ("Content-Security-Policy", SVG_CSP),
    ]
    answer = Answer(200, "image/svg+xml", body, headers, etag, last_day)
    return answer.not_modified() if etag_matches(if_none_match, etag) else answer


def mark_svg(request: HttpRequest, number: str) -> HttpResponseBase:
    refused = _only_get(request) or _canonical(request, number)
    if refused:
        return refused
    return mark_answer(number, request.headers.get("If-None-Match")).response()


# --- The verification page --------------------------------------------------------------------


def _verify_html(
    lic: snapshot.PublicLicence,
    today: datetime.date,
    etag: str,
    snap: snapshot.Snapshot | None = None,
) -> bytes:
    status = lic.shown_status(today)
    valid = status in VALID_STATUSES
    effective = lic.effective_on(today)
    status_ja, status_en = status_labels(status)
    scheme_ja, scheme_en = SCHEME_NAMES.get(lic.scheme, (lic.scheme, lic.scheme))
    number = lic.number
    base = f"{settings.SITE_URL}/licences/{number}/"
    row = {
        "number": number,
        "service_name": lic.service_name,
        "status": status,
        "organisation__name": lic.company,
        "organisation__name_en": lic.company_en,
        "application__criteria_set__title": lic.criteria,
    }
    dates = {
        key: {"ja": ja_date(day), "en": day.isoformat()}
        for key, day in (
            ("first_granted_on", lic.first_granted_on),
            ("valid_from", lic.valid_from),
            ("valid_until", lic.valid_until),
        )
    }
    html = loader.get_template("licences/verify.html").render(
        {
            "l": row,
            "valid": valid,
            "status_ja": status_ja,
            "status_en": status_en,
            "scheme_ja": scheme_ja,
            "scheme_en": scheme_en,
            "effective": {
                "ja": ja_date(effective),
                "en": effective.isoformat(),
                # The time too, for a suspension or revocation recorded at a moment (issue 15).
                "time": lic.changed_at.astimezone(clock.TOKYO).strftime("%H:%M")
                if lic.changed_at and effective == lic.changed_on
                else "",
            }
            if effective
            else None,
            # Versioned by the mark's own state, so a fresh verification page never shows a
            # mark cached before a change; relative, so the page shows the mark whatever
            # address it was reached by.
            "mark_url": f"/licences/{number}/mark.svg?v={etag.strip(chr(34))[:12]}",
            "credential_url": base + "credential",
            "jwks_url": f"{settings.SITE_URL}/.well-known/jwks.json",
            "page_url": base,
            "SITE_URL": settings.SITE_URL,
            "mark_name": mark.MARK_NAME_JA,
            "t": bilingual_texts(),
            "dates": dates,
            "demo_notice": both(demo_notice.NOTICE) if demo_notice.demo_loaded(snap) else None,
        }
    )
    return html.encode()


def verify_answer(number: str, if_none_match: str | None = None) -> Answer | None:
    """The verification page of `number` as it is today; None if there is no such licence."""
    snap = snapshot.current()
    lic = snap.get(number)
    if lic is None:
        return None
    today = clock.today()
    status = lic.shown_status(today)
    effective = lic.effective_on(today)
    _body, mark_etag = mark.rendered(number, status, lic.valid_until, effective)

    def make() -> tuple[str, bytes]:
        text = "|".join(
            map(
                str,
                (
                    VERIFY_VERSION,
                    settings.SITE_URL,
                    lic,
                    status,
                    effective,
                    mark_etag,
                    demo_notice.demo_loaded(snap),
                ),
            )
        )
        etag = '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
        return etag, _verify_html(lic, today, mark_etag, snap)

    etag, html = snap.remember(("verify", number, today, settings.SITE_URL), make, "pages")
    last_day = _last_valid_day(lic, status, today)
    headers = cache_headers(etag, last_valid_day=last_day)
    answer = Answer(200, "text/html; charset=utf-8", html, headers, etag, last_day)
    return answer.not_modified() if etag_matches(if_none_match, etag) else answer


def verify(request: HttpRequest, number: str) -> HttpResponseBase:
    refused = _only_get(request) or _canonical(request, number)
    if refused:
        return refused
    answer = verify_answer(number, request.headers.get("If-None-Match"))
    if answer is None:
        return not_found(request, number)
    return answer.response()


# --- The signed statement ---------------------------------------------------------------------


def credential_payload(
    lic: snapshot.PublicLicence, now: int | None = None, today: datetime.date | None = None
) -> dict[str, Any]:
    conf = scheme_settings.settings()
    now = int(time.time()) if now is None else now
    today = today or clock.today()
    number = lic.number
    status = lic.shown_status(today)
    effective = lic.effective_on(today)
    scheme_ja, scheme_en = SCHEME_NAMES.get(lic.scheme, (lic.scheme, lic.scheme))
    exp = now + conf.credential_lifetime_seconds
    if status in VALID_STATUSES:
        # A statement of validity never outlives the validity itself.
        exp = min(exp, int(validity.last_valid_moment(lic.valid_until).timestamp()))
    return {
        "iss": settings.SITE_URL,
        "sub": f"{settings.SITE_URL}/licences/{number}/",
        "iat": now,
        "nbf": now,
        "exp": exp,
        "licence": {
            "number": number,
            "mark": mark.MARK_NAME_JA,
            "service_name": lic.service_name,
            "company": lic.company,
            "company_en": lic.company_en,
            "scheme": lic.scheme,
            "scheme_name": scheme_ja,
            "scheme_name_en": scheme_en,
            "criteria_set": lic.criteria,
            "licensed_since": lic.first_granted_on.isoformat(),
            "valid_from": lic.valid_from.isoformat(),
            "valid_until": lic.valid_until.isoformat(),
            "status": status,
            "status_since": effective.isoformat() if effective else None,
            "valid": status in VALID_STATUSES,
        },
        "status_list": f"{settings.SITE_URL}/licences/status.json",
    }


def credential(request: HttpRequest, number: str) -> HttpResponseBase:
    refused = _only_get(request) or _canonical(request, number)
    if refused:
        return refused
    lic = snapshot.current().get(number)
    if lic is None:
        return not_found(request, number)
    token = signing.sign(credential_payload(lic))
    response = HttpResponse(token, content_type="application/jwt")
    response["Content-Disposition"] = f'inline; filename="{number}.jwt"'
    # Signed per request with its own iat/exp: revalidate rather than reuse.
    _public_headers(response)
    response["Cache-Control"] = "no-cache"
    return response


def jwks(request: HttpRequest) -> HttpResponseBase:
    refused = _only_get(request)
    if refused:
        return refused
    response = JsonResponse(signing.jwks(), content_type="application/jwk-set+json")
    return _public_headers(response)


def _status_payload() -> dict[str, Any]:
    today = clock.today()
    items = []
    for lic in snapshot.current().ordered:
        status = lic.shown_status(today)
        effective = lic.effective_on(today)
        items.append(
            {
                "number": lic.number,
                "status": status,
                "valid": status in VALID_STATUSES,
                "status_since": effective.isoformat() if effective else None,
                "valid_from": lic.valid_from.isoformat(),
                "valid_until": lic.valid_until.isoformat(),
                "updated": lic.updated.isoformat(timespec="seconds"),
            }
        )
    return {
        "iss": settings.SITE_URL,
        "iat": int(time.time()),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "as_of": today.isoformat(),
        "valid_statuses": sorted(str(s) for s in VALID_STATUSES),
        "licences": items,
    }


def status_list(request: HttpRequest) -> HttpResponseBase:
    """Every licence ever issued (valid or not) with its status today: for revocation checks."""
    refused = _only_get(request)
    if refused:
        return refused
    response = JsonResponse(_status_payload(), json_dumps_params={"ensure_ascii": False})
    return _public_headers(
        response, last_valid_day=_list_ends_today(snapshot.current(), clock.today())
    )


def status_list_signed(request: HttpRequest) -> HttpResponseBase:
    """The same status list as a compact JWS, to keep and check offline."""
    refused = _only_get(request)
    if refused:
        return refused
    response = HttpResponse(
        signing.sign(_status_payload(), typ="JWT"), content_type="application/jwt"
    )
    return _public_headers(
        response, last_valid_day=_list_ends_today(snapshot.current(), clock.today())
    )


# --- The registry -----------------------------------------------------------------------------


def registry_queryset(q: str = "") -> QuerySet[Licence]:
    """Licences valid today (status AND dates) in number (grant) order, from the database
    (the API's base); `q` matches service or company, width- and case-insensitively (every
    word must match). The public pages use the snapshot (`registry_rows`) instead."""
    qs = (
        Licence.objects.filter(status__in=REGISTRY_STATUSES, valid_until__gte=clock.today())
        .select_related("organisation")
        .only(
            "number",
            "serial",
            "service_name",
            "scheme",
            "status",
            "first_granted_on",
            "valid_until",
            "organisation__name",
            "organisation__name_en",
        )
        .order_by("serial")
    )
    for word in normalise(q).split():
        qs = qs.filter(search_key__contains=word)
    return qs


def registry_rows(q: str = "") -> tuple[snapshot.PublicLicence, ...]:
    """The registry: licences valid today, in number order, filtered by `q`."""
    return snapshot.current().registry(clock.today(), q[:100])


def _registry_context(
    snap: snapshot.Snapshot, today: datetime.date, q: str, page_number: str | None
) -> dict[str, Any]:
    rows = snap.registry(today, q)
    paginator = Paginator(rows, scheme_settings.settings().registry_page_size)
    page = paginator.get_page(page_number)
    labels = {value: str(label) for value, label in Scheme.choices}
    entries = [
        (
            lic.number,
            lic.service_name,
            lic.company,
            labels.get(lic.scheme, lic.scheme),
            lic.first_granted_on.isoformat(),
        )
        for lic in page.object_list
    ]
    return {
        "page": page,
        "entries": entries,
        "q": q,
        "demo_notice": demo_notice.NOTICE if demo_notice.demo_loaded(snap) else None,
    }


# The anonymous registry page is rendered once per snapshot, day, language, page and query,
# with this stand-in for the CSRF token, which each answer replaces with the visitor's own.
CSRF_PLACEHOLDER = "@@ssmark-csrf-token@@"


class _PagePath:
    """What base.html reads of the request: the path (current link) and the full path."""

    def __init__(self, path: str, full_path: str) -> None:
        self.path = path
        self._full = full_path

    def get_full_path(self) -> str:
        return self._full


def anonymous_registry_html(lang: str, q: str, page_number: str | None, full_path: str) -> str:
    """The registry page as an anonymous visitor sees it in `lang`, with CSRF_PLACEHOLDER."""
    q = q[:100]
    snap = snapshot.current()
    today = clock.today()
    key = ("registry", today, lang, q, page_number, full_path, settings.SITE_URL)

    def make() -> str:
        context = _registry_context(snap, today, q, page_number)
        context.update(
            {
                "request": _PagePath("/registry/", full_path),
                "user": AnonymousUser(),
                "messages": [],
                "nav_entries": [],
                "csrf_token": CSRF_PLACEHOLDER,
                "SITE_URL": settings.SITE_URL,
                "MAX_UPLOAD_MB": settings.MAX_UPLOAD_MB,
            }
        )
        with translation.override(lang):
            return loader.get_template("licences/registry.html").render(context)

    return snap.remember(key, make, "pages")


def registry(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page_number = request.GET.get("page")
    if request.user.is_authenticated:
        context = _registry_context(snapshot.current(), clock.today(), q, page_number)
        return render(request, "licences/registry.html", context)
    html = anonymous_registry_html(
        translation.get_language(), q, page_number, request.get_full_path()
    )
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


CSV_HEADER = [
    "マーク使用許諾管理番号",
    "サービス名",
    "会社名",
    "版",
    "取得日",
    "有効期限",
    "確認ページ",
]


def _kept_download(
    request: HttpRequest, name: str, content_type: str, make: Callable[[str], bytes]
) -> HttpResponseBase:
    """A registry download made once per snapshot, day and query, with an ETag (304 on
    If-None-Match) so a CDN or client can revalidate it cheaply."""
    refused = _only_get(request)
    if refused:
        return refused
    q = request.GET.get("q", "")[:100]

    def build() -> tuple[str, bytes]:
        body = make(q)
        return '"' + hashlib.sha256(body).hexdigest()[:32] + '"', body

    today = clock.today()
    key = (name, today, q, settings.SITE_URL)
    snap = snapshot.current()
    etag, body = snap.remember(key, build, "pages")
    last_day = _list_ends_today(snap, today)
    if _not_modified(request, etag):
        response = _public_headers(HttpResponse(status=304), etag, last_valid_day=last_day)
    else:
        response = _public_headers(
            HttpResponse(body, content_type=content_type), etag, last_valid_day=last_day
        )
    if demo_notice.demo_loaded(snap):
        # The CSV has no place for a note that machine readers would not take for data.
        response[DEMO_DATA_HEADER] = both(demo_notice.NOTICE)["en"]
        response["Access-Control-Expose-Headers"] = DEMO_DATA_HEADER  # readable cross-origin
    return response


# Sent with /registry.csv and /registry.json while the demo registry is loaded (issue 9,
# point 11); ASCII, so the English notice (registry.json also carries both languages).
DEMO_DATA_HEADER = "X-Demo-Data"


def _demo_fields() -> dict[str, Any]:
    """registry.json's top-level `demo` flag and `notice` (ja/en, or null)."""
    loaded = demo_notice.demo_loaded()
    return {"demo": loaded, "notice": both(demo_notice.NOTICE) if loaded else None}


def _registry_csv_bytes(q: str) -> bytes:
    rows = [
        [
            lic.number,
            lic.service_name,
            lic.company,
            SCHEME_NAMES.get(lic.scheme, (lic.scheme,))[0],
            lic.first_granted_on.isoformat(),
            lic.valid_until.isoformat(),
            f"{settings.SITE_URL}/licences/{lic.number}/",
        ]
        for lic in registry_rows(q)
    ]
    return csv_text(CSV_HEADER, rows).encode("utf-8")


def registry_csv(request: HttpRequest) -> HttpResponseBase:
    """The registry as CSV (the one CSV writer: BOM, CRLF, formula cells neutralised)."""
    response = _kept_download(
        request, "registry.csv", "text/csv; charset=utf-8", _registry_csv_bytes
    )
    if response.status_code == 200:
        response["Content-Disposition"] = 'attachment; filename="ssmark-registry.csv"'
    return response


def _registry_json_bytes(q: str) -> bytes:
    items = [
        {
            "number": lic.number,
            "service_name": lic.service_name,
            "company": lic.company,
            "company_en": lic.company_en,
            "scheme": lic.scheme,
            "scheme_name": SCHEME_NAMES.get(lic.scheme, (lic.scheme,))[0],
            "licensed_since": lic.first_granted_on.isoformat(),
            "valid_until": lic.valid_until.isoformat(),
            "status": lic.status,
            "url": f"{settings.SITE_URL}/licences/{lic.number}/",
            "mark": f"{settings.SITE_URL}/licences/{lic.number}/mark.svg",
        }
        for lic in registry_rows(q)
    ]
    body = json.dumps(
        {
            **_demo_fields(),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "as_of": clock.today().isoformat(),
            "count": len(items),
            "licences": items,
        },
        ensure_ascii=False,
    )
    return body.encode("utf-8")


def registry_json(request: HttpRequest) -> HttpResponseBase:
    return _kept_download(
        request, "registry.json", "application/json; charset=utf-8", _registry_json_bytes
    )
