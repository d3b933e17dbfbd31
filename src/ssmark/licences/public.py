"""Public, read-only endpoints: the live mark, the verification page, the signed credential,
the registry (HTML, CSV, JSON), the status list and the scheme's public keys.

The mark and verification page are the hot path (every page view of every licensed ISP's
site). Each request makes exactly one indexed query (by the unique licence number) and no
session, user or CSRF work: the views never touch `request.user` or the session, and the
verification page is rendered without context processors. There is no server-side cache:
a change of status is visible to the next request that reaches the server, and browsers and
proxies may keep a copy for at most `mark.cache_seconds` (scheme.yaml, Cache-Control max-age).
Revalidation is cheap: ETag and 304 on If-None-Match.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
import time
from typing import Any

from django.conf import settings
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
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _

from ssmark.catalog.models import Scheme
from ssmark.core.dates import ja_date

from . import mark, signing
from . import scheme as scheme_settings
from .models import REGISTRY_STATUSES, VALID_STATUSES, Licence, LicenceStatus, normalise

# Bump when verify.html changes, so cached pages (ETag) are replaced.
VERIFY_VERSION = "1"
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


VERIFY_FIELDS = (
    "number",
    "service_name",
    "scheme",
    "status",
    "first_granted_on",
    "valid_from",
    "valid_until",
    "updated",
    "organisation__name",
    "organisation__name_en",
    "application__criteria_set__title",
    "application__criteria_set__title_en",
)


def _public_headers(response: HttpResponseBase, etag: str | None = None) -> HttpResponseBase:
    response["Cache-Control"] = f"public, max-age={scheme_settings.settings().mark_cache_seconds}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    if etag:
        response["ETag"] = etag
    return response


def _not_modified(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or etag.removeprefix("W/") in tags


def _only_get(request: HttpRequest) -> HttpResponseBase | None:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return None


NUMBER_SHAPE = re.compile(r"[A-Za-z][0-9]{4,7}")


def _canonical(request: HttpRequest, number: str) -> HttpResponseBase | None:
    """Licence numbers are upper case: /licences/j0001/ redirects to /licences/J0001/."""
    if number[:1].islower() and NUMBER_SHAPE.fullmatch(number):
        return HttpResponsePermanentRedirect(request.path.replace(number, number.upper(), 1))
    return None


def not_found(request: HttpRequest, number: str) -> HttpResponse:
    """No such licence: a bilingual 404 page, never a mark."""
    html = loader.get_template("licences/not_found.html").render(
        {"number": number, "t": bilingual_texts(), "SITE_URL": settings.SITE_URL}
    )
    response = HttpResponse(html, status=404)
    _public_headers(response)
    return response


def _status_labels(status: str) -> tuple[str, str]:
    labels = both(LicenceStatus(status).label)
    return labels["ja"], labels["en"]


# --- The live mark ----------------------------------------------------------------------------


def mark_svg(request: HttpRequest, number: str) -> HttpResponseBase:
    refused = _only_get(request) or _canonical(request, number)
    if refused:
        return refused
    row = Licence.objects.filter(number=number).values_list("status", "updated").first()
    if row is None:
        return not_found(request, number)
    status, updated = row
    etag = mark.etag(number, status, updated.isoformat())
    if _not_modified(request, etag):
        return _public_headers(HttpResponse(status=304), etag)
    response = HttpResponse(mark.render(number, status), content_type="image/svg+xml")
    # An SVG opened on its own must not run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return _public_headers(response, etag)


# --- The verification page --------------------------------------------------------------------


def _row_etag(version: str, row: dict[str, Any]) -> str:
    text = version + "|" + settings.SITE_URL + "|" + repr(sorted(row.items()))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def verify(request: HttpRequest, number: str) -> HttpResponseBase:
    refused = _only_get(request) or _canonical(request, number)
    if refused:
        return refused
    row = Licence.objects.filter(number=number).values(*VERIFY_FIELDS).first()
    if row is None:
        return not_found(request, number)
    etag = _row_etag(VERIFY_VERSION, row)
    if _not_modified(request, etag):
        return _public_headers(HttpResponse(status=304), etag)
    status_ja, status_en = _status_labels(row["status"])
    scheme_ja, scheme_en = SCHEME_NAMES.get(row["scheme"], (row["scheme"], row["scheme"]))
    base = f"{settings.SITE_URL}/licences/{number}/"
    html = loader.get_template("licences/verify.html").render(
        {
            "l": row,
            "valid": row["status"] in VALID_STATUSES,
            "status_ja": status_ja,
            "status_en": status_en,
            "scheme_ja": scheme_ja,
            "scheme_en": scheme_en,
            # Versioned, so a fresh verification page never shows a mark cached before a change;
            # relative, so the page shows the mark whatever address it was reached by.
            "mark_url": f"/licences/{number}/mark.svg?v={int(row['updated'].timestamp())}",
            "credential_url": base + "credential",
            "jwks_url": f"{settings.SITE_URL}/.well-known/jwks.json",
            "page_url": base,
            "SITE_URL": settings.SITE_URL,
            "mark_name": mark.MARK_NAME_JA,
            "t": bilingual_texts(),
            "dates": {
                key: {"ja": ja_date(row[key]), "en": row[key].isoformat()}
                for key in ("first_granted_on", "valid_from", "valid_until")
            },
        }
    )
    return _public_headers(HttpResponse(html), etag)


# --- The signed statement ---------------------------------------------------------------------


def credential_payload(row: dict[str, Any], now: int | None = None) -> dict[str, Any]:
    conf = scheme_settings.settings()
    now = int(time.time()) if now is None else now
    number = row["number"]
    scheme_ja, scheme_en = SCHEME_NAMES.get(row["scheme"], (row["scheme"], row["scheme"]))
    return {
        "iss": settings.SITE_URL,
        "sub": f"{settings.SITE_URL}/licences/{number}/",
        "iat": now,
        "nbf": now,
        "exp": now + conf.credential_lifetime_seconds,
        "licence": {
            "number": number,
            "mark": mark.MARK_NAME_JA,
            "service_name": row["service_name"],
            "company": row["organisation__name"],
            "company_en": row["organisation__name_en"] or "",
            "scheme": row["scheme"],
            "scheme_name": scheme_ja,
            "scheme_name_en": scheme_en,
            "criteria_set": row["application__criteria_set__title"] or "",
            "licensed_since": row["first_granted_on"].isoformat(),
            "valid_from": row["valid_from"].isoformat(),
            "valid_until": row["valid_until"].isoformat(),
            "status": row["status"],
            "valid": row["status"] in VALID_STATUSES,
        },
        "status_list": f"{settings.SITE_URL}/licences/status.json",
    }


def credential(request: HttpRequest, number: str) -> HttpResponseBase:
    refused = _only_get(request) or _canonical(request, number)
    if refused:
        return refused
    row = Licence.objects.filter(number=number).values(*VERIFY_FIELDS).first()
    if row is None:
        return not_found(request, number)
    token = signing.sign(credential_payload(row))
    response = HttpResponse(token, content_type="application/jwt")
    response["Content-Disposition"] = f'inline; filename="{number}.jwt"'
    return _public_headers(response)


def jwks(request: HttpRequest) -> HttpResponseBase:
    refused = _only_get(request)
    if refused:
        return refused
    response = JsonResponse(signing.jwks(), content_type="application/jwk-set+json")
    return _public_headers(response)


def _status_payload() -> dict[str, Any]:
    rows = Licence.objects.order_by("serial").values_list(
        "number", "status", "valid_from", "valid_until", "updated"
    )
    return {
        "iss": settings.SITE_URL,
        "iat": int(time.time()),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "valid_statuses": sorted(str(s) for s in VALID_STATUSES),
        "licences": [
            {
                "number": number,
                "status": status,
                "valid": status in VALID_STATUSES,
                "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat(),
                "updated": updated.isoformat(timespec="seconds"),
            }
            for number, status, valid_from, valid_until, updated in rows
        ],
    }


def status_list(request: HttpRequest) -> HttpResponseBase:
    """Every licence ever issued (valid or not) with its status: for revocation checks."""
    refused = _only_get(request)
    if refused:
        return refused
    response = JsonResponse(_status_payload(), json_dumps_params={"ensure_ascii": False})
    return _public_headers(response)


def status_list_signed(request: HttpRequest) -> HttpResponseBase:
    """The same status list as a compact JWS, to keep and check offline."""
    refused = _only_get(request)
    if refused:
        return refused
    response = HttpResponse(
        signing.sign(_status_payload(), typ="JWT"), content_type="application/jwt"
    )
    return _public_headers(response)


# --- The registry -----------------------------------------------------------------------------


def registry_queryset(q: str = "") -> QuerySet[Licence]:
    """Valid licences in number (grant) order; `q` matches service or company, width- and
    case-insensitively (every word must match)."""
    qs = (
        Licence.objects.filter(status__in=REGISTRY_STATUSES)
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


def registry(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    rows = registry_queryset(q).values_list(
        "number", "service_name", "organisation__name", "scheme", "first_granted_on"
    )
    paginator = Paginator(rows, scheme_settings.settings().registry_page_size)
    page = paginator.get_page(request.GET.get("page"))
    labels = {value: str(label) for value, label in Scheme.choices}
    entries = [
        (number, service, company, labels.get(scheme, scheme), since.isoformat())
        for number, service, company, scheme, since in page.object_list
    ]
    return render(request, "licences/registry.html", {"page": page, "entries": entries, "q": q})


CSV_HEADER = [
    "マーク使用許諾管理番号",
    "サービス名",
    "会社名",
    "版",
    "取得日",
    "有効期限",
    "確認ページ",
]


def registry_csv(request: HttpRequest) -> HttpResponseBase:
    """The registry as CSV, UTF-8 with a byte-order mark so Excel reads the Japanese."""
    refused = _only_get(request)
    if refused:
        return refused
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for lic in registry_queryset(request.GET.get("q", "")[:100]):
        writer.writerow(
            [
                lic.number,
                lic.service_name,
                lic.organisation.name,
                SCHEME_NAMES.get(lic.scheme, (lic.scheme,))[0],
                lic.first_granted_on.isoformat(),
                lic.valid_until.isoformat(),
                f"{settings.SITE_URL}/licences/{lic.number}/",
            ]
        )
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ssmark-registry.csv"'
    return _public_headers(response)


def registry_json(request: HttpRequest) -> HttpResponseBase:
    refused = _only_get(request)
    if refused:
        return refused
    items = [
        {
            "number": lic.number,
            "service_name": lic.service_name,
            "company": lic.organisation.name,
            "company_en": lic.organisation.name_en,
            "scheme": lic.scheme,
            "scheme_name": SCHEME_NAMES.get(lic.scheme, (lic.scheme,))[0],
            "licensed_since": lic.first_granted_on.isoformat(),
            "valid_until": lic.valid_until.isoformat(),
            "status": lic.status,
            "url": f"{settings.SITE_URL}/licences/{lic.number}/",
            "mark": f"{settings.SITE_URL}/licences/{lic.number}/mark.svg",
        }
        for lic in registry_queryset(request.GET.get("q", "")[:100])
    ]
    body = json.dumps(
        {
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "count": len(items),
            "licences": items,
        },
        ensure_ascii=False,
    )
    return _public_headers(HttpResponse(body, content_type="application/json; charset=utf-8"))
