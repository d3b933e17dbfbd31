"""Personal API tokens: hashed, shown once, scoped, expiring, revocable, audited; the CLI."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client

from ssmark.api.models import ApiToken
from ssmark.api.tokens import ERROR_NAME_REQUIRED, create_token, digest, revoke_token
from ssmark.core.models import AuditEntry
from ssmark.core.refusals import InvalidInput, NotAllowed


def bearer(token: str, language: str = "en") -> Client:
    return Client(headers={"Authorization": f"Bearer {token}", "Accept-Language": language})


def test_token_is_stored_hashed_and_acts_as_its_person(users):
    made = create_token(actor=users["alice"], user=users["alice"], name="ci", days=30)
    row = ApiToken.objects.get()
    assert made.secret.startswith("ssm_") and made.secret not in (row.digest, row.prefix)
    assert row.digest == digest(made.secret)
    assert made.secret.startswith(row.prefix)
    body = bearer(made.secret).get("/api/v1/me/").json()
    assert body["username"] == "alice"
    assert body["roles"] == ["applicant"]
    assert body["organisation"]["code"] == "sample-net"
    assert body["token_scope"] == "write"
    assert AuditEntry.objects.filter(action="ssmark.api.token_created").count() == 1


def test_no_token_bad_token_expired_and_revoked_are_refused(users):
    anonymous = Client(headers={"Accept-Language": "en"}).get("/api/v1/me/")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    assert bearer("ssm_nonsense").get("/api/v1/me/").json()["code"] == "bad_token"
    made = create_token(actor=users["bob"], user=users["bob"], name="x", days=1)
    ApiToken.objects.update(expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert bearer(made.secret).get("/api/v1/me/").status_code == 401
    made = create_token(actor=users["bob"], user=users["bob"], name="y")
    assert bearer(made.secret).get("/api/v1/me/").status_code == 200
    revoke_token(actor=users["bob"], token=made.token)
    assert bearer(made.secret).get("/api/v1/me/").status_code == 401
    assert AuditEntry.objects.filter(action="ssmark.api.token_revoked").count() == 1
    with pytest.raises(NotAllowed):
        revoke_token(actor=users["alice"], token=made.token)


def test_an_inactive_person_s_token_stops_working(users):
    made = create_token(actor=users["bob"], user=users["bob"], name="y")
    users["bob"].is_active = False
    users["bob"].save()
    assert bearer(made.secret).get("/api/v1/me/").status_code == 401


def test_read_only_token_cannot_write(users):
    made = create_token(actor=users["sue"], user=users["sue"], name="r", read_only=True)
    response = bearer(made.secret).post("/api/v1/notifications/1/read/")
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"


def test_errors_speak_the_request_language(users):
    made = create_token(actor=users["alice"], user=users["alice"], name="r", read_only=True)
    en = bearer(made.secret, "en").post("/api/v1/notifications/1/read/").json()["message"]
    ja = bearer(made.secret, "ja").post("/api/v1/notifications/1/read/").json()["message"]
    assert "read-only" in en
    assert ja != en and "読み取り専用" in ja


def test_refusals_name_the_field(users):
    with pytest.raises(InvalidInput) as caught:
        create_token(actor=users["alice"], user=users["alice"], name=" ")
    assert caught.value.message is ERROR_NAME_REQUIRED and caught.value.field == "name"
    with pytest.raises(InvalidInput) as caught:
        create_token(actor=users["alice"], user=users["alice"], name="n", days=100000)
    assert caught.value.field == "days"


def test_rate_limit_answers_429_with_retry_after(users, settings):
    settings.SSMARK_API_RATE_PER_MINUTE = 2
    made = create_token(actor=users["alice"], user=users["alice"], name="r")
    client = bearer(made.secret)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    third = client.get("/api/v1/me/")
    assert third.status_code == 429
    assert int(third["Retry-After"]) >= 1
    assert third.json()["code"] == "rate_limited"
    # another token of the same person has its own budget
    other = create_token(actor=users["alice"], user=users["alice"], name="s")
    assert bearer(other.secret).get("/api/v1/me/").status_code == 200


def test_cli_prints_a_token_once(users):
    out = io.StringIO()
    call_command(
        "api_token", "rin", "--name", "accounting", "--days", "7", "--read-only", stdout=out
    )
    secret = out.getvalue().strip()
    row = ApiToken.objects.get(user=users["rin"])
    assert row.name == "accounting" and row.read_only
    assert row.digest == digest(secret)
    assert bearer(secret).get("/api/v1/me/").json()["token_scope"] == "read"


def test_security_page_makes_shows_once_and_revokes(client_for, users):
    client = client_for("alice")
    page = client.get("/api/tokens/")
    assert page.status_code == 200
    response = client.post("/api/tokens/", {"name": "nightly", "days": "30", "scope": "write"})
    assert response.status_code == 200
    row = ApiToken.objects.get(user=users["alice"])
    secret = response.context["shown_once"]
    assert row.digest == digest(secret) and secret in response.content.decode()
    # shown once: the list does not show it again
    assert secret not in client.get("/api/tokens/").content.decode()
    # a missing name keeps the typed days and says what is wrong
    bad = client.post("/api/tokens/", {"name": "", "days": "12", "scope": "read"})
    assert bad.status_code == 400 and 'value="12"' in bad.content.decode()
    # revoking asks for confirmation
    client.post(f"/api/tokens/{row.pk}/revoke/", {})
    row.refresh_from_db()
    assert row.revoked_at is None
    client.post(f"/api/tokens/{row.pk}/revoke/", {"confirm": "on"})
    row.refresh_from_db()
    assert row.revoked_at is not None
    # someone else's token: 404
    other = create_token(actor=users["bob"], user=users["bob"], name="b")
    assert (
        client.post(f"/api/tokens/{other.token.pk}/revoke/", {"confirm": "on"}).status_code == 404
    )
