"""schemathesis against /api/v1/openapi.json, in-process (WSGI), with a token of each kind
(applicant, reception staff, secretariat): no server error, no response that breaks the
schema (body, status code, content type, headers). Half the generated cases use the ids of
real objects the person may see, so the 200 answers are checked too, not only the 404s.
A bounded number of examples per operation keeps it fast."""

from __future__ import annotations

import ipaddress
import socket

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import checks

from tests.applications.factories import clean_scan, upload

EXAMPLES = 5
CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def known(request, users, new_application, submit_now):  # type: ignore[no-untyped-def]
    """Real objects: alice's draft with a scan report, a submitted one, a licence."""
    from ssmark.applications import services

    draft = new_application(service_name="スキーマ光")
    report = services.upload_scan_report(
        actor=users["alice"], application=draft, upload=upload("scan.jsonl", clean_scan())
    )
    submitted = submit_now(new_application(service_name="提出済光"))
    # the licence fixtures bring a criteria set of their own: only after the applications
    licence = request.getfixturevalue("issue")(service_name="公開光")
    from ssmark.fees.models import Invoice
    from ssmark.notifications.models import Notification

    invoice = Invoice.objects.filter(application=submitted).first()
    notification = Notification.objects.filter(recipient__isnull=False).first()
    return {
        "alice": {"id": draft.pk, "rid": report.pk, "code": "1-1-1", "number": licence.number},
        "rin": {"id": submitted.pk, "rid": report.pk, "code": "1-1-1", "number": licence.number},
        "sue": {
            "id": invoice.pk if invoice else submitted.pk,
            "rid": report.pk,
            "code": "1-1-1",
            "number": licence.number,
        },
        "notification": notification.pk if notification else 1,
    }


@pytest.mark.parametrize("who", ["alice", "rin", "sue"])
def test_api_conforms_to_its_schema(who, known, token_for, settings_override):  # type: ignore[no-untyped-def]
    token = token_for(who)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    ids = known[who]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 23
    for operation in operations:
        real = ids
        if "/notifications/" in operation.path and "{id}" in operation.path:
            real = {**ids, "id": known["notification"]}
        runner(operation, real, token)()


def runner(operation, real, token):  # type: ignore[no-untyped-def]
    """A hypothesis test of one operation, with the person's token."""

    @given(case=operation.as_strategy(), use_real=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, use_real):  # type: ignore[no-untyped-def]
        if use_real and case.path_parameters:
            case.path_parameters = {k: real.get(k, v) for k, v in case.path_parameters.items()}
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}", "Host": "localhost"},
            checks=CHECKS,
        )

    return run


@pytest.fixture
def settings_override(settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["localhost", "testserver", "127.0.0.1"]
    settings.SSMARK_API_RATE_PER_MINUTE = 1_000_000
    # As Django's test client does: the WSGI handler must not close the test's connection at
    # the end of each request (on PostgreSQL that would end the test's transaction).
    # Webhook addresses are checked by resolving their host: no name lookups from tests.
    monkeypatch.setattr(
        "ssmark.webhooks.sender.socket.getaddrinfo", _literal_addresses_only, raising=True
    )
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


_real_getaddrinfo = socket.getaddrinfo


def _literal_addresses_only(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        ipaddress.ip_address(str(host).strip("[]"))
    except ValueError:
        raise socket.gaierror("no name lookups in tests") from None
    return _real_getaddrinfo(host, *args, **kwargs)
