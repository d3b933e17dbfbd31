"""The signed statement: a compact JWS (EdDSA) verifiable with only the published JWKS; a
tampered or foreign token fails; the status list shows revocations; the key file is private."""

from __future__ import annotations

import base64
import json
import os
import stat
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ssmark.licences import scheme, signing
from ssmark.licences.services import revoke_licence

pytestmark = pytest.mark.django_db


def _jwks(client) -> dict:
    r = client.get("/.well-known/jwks.json")
    assert r.status_code == 200
    assert r["Access-Control-Allow-Origin"] == "*"
    return json.loads(r.content)


def test_credential_verifies_with_the_published_keys(licence, client):
    r = client.get("/licences/J0001/credential")
    assert r.status_code == 200 and r["Content-Type"] == "application/jwt"
    token = r.content.decode()
    keys = _jwks(client)
    assert keys["keys"][0]["kty"] == "OKP" and keys["keys"][0]["crv"] == "Ed25519"
    assert "d" not in keys["keys"][0]  # never the private part
    header = json.loads(signing.b64url_decode(token.split(".")[0]))
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": keys["keys"][0]["kid"]}
    payload = signing.verify(token, keys)
    now = int(time.time())
    assert payload["iat"] <= now < payload["exp"]
    assert payload["exp"] - payload["iat"] == scheme.settings().credential_lifetime_seconds
    assert payload["sub"].endswith("/licences/J0001/")
    lic = payload["licence"]
    assert lic["number"] == "J0001"
    assert lic["service_name"] == "サンプル光"
    assert lic["company"] == "サンプルネット株式会社"
    assert lic["scheme"] == "isp" and lic["scheme_name"] == "ISP版"
    assert (lic["valid_from"], lic["valid_until"]) == ("2026-01-10", "2028-01-09")
    assert lic["status"] == "active" and lic["valid"] is True
    assert payload["status_list"].endswith("/licences/status.json")


def test_tampered_or_foreign_credentials_fail(licence, client):
    token = client.get("/licences/J0001/credential").content.decode()
    keys = _jwks(client)
    head, body, sig = token.split(".")
    payload = json.loads(signing.b64url_decode(body))
    payload["licence"]["valid_until"] = "2099-12-31"
    forged = signing.b64url(json.dumps(payload).encode())
    with pytest.raises(signing.InvalidToken):
        signing.verify(f"{head}.{forged}.{sig}", keys)
    with pytest.raises(signing.InvalidToken):
        signing.verify(f"{head}.{body}.{sig[:-4]}AAAA", keys)
    # Signed by someone else's key (with our kid in the header): refused.
    other = Ed25519PrivateKey.generate()
    fake_sig = signing.b64url(other.sign(f"{head}.{body}".encode()))
    with pytest.raises(signing.InvalidToken):
        signing.verify(f"{head}.{body}.{fake_sig}", keys)
    with pytest.raises(signing.InvalidToken):
        signing.verify("not-a-token", keys)


def test_revocation_shows_in_a_refetched_credential_and_the_status_list(licence, users, client):
    revoke_licence(
        licence=licence, actor=users["sue"], ground="investigation_refused", reason="調査拒否"
    )
    keys = _jwks(client)
    payload = signing.verify(client.get("/licences/J0001/credential").content.decode(), keys)
    assert payload["licence"]["status"] == "revoked" and payload["licence"]["valid"] is False
    status = json.loads(client.get("/licences/status.json").content)
    assert [(e["number"], e["status"], e["valid"]) for e in status["licences"]] == [
        ("J0001", "revoked", False)
    ]
    signed = signing.verify(client.get("/licences/status.jwt").content.decode(), keys)
    assert signed["licences"] == status["licences"]


def test_key_is_generated_once_with_mode_0600(tmp_path, monkeypatch, settings):
    setattr(settings, signing.ENV_KEY_FILE, "")
    settings.VAR_DIR = tmp_path
    signing.reset_cache()
    kid = signing.public_jwk()["kid"]
    path = tmp_path / signing.DEFAULT_KEY_NAME
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    signing.reset_cache()
    assert signing.public_jwk()["kid"] == kid  # reused, not regenerated
    assert [p.name for p in tmp_path.iterdir()] == [signing.DEFAULT_KEY_NAME]


def test_key_file_from_settings(tmp_path, settings):
    path = tmp_path / "mine.pem"
    signing._create_key(path)
    setattr(settings, signing.ENV_KEY_FILE, str(path))
    signing.reset_cache()
    token = signing.sign({"x": 1})
    assert signing.verify(token, signing.jwks()) == {"x": 1}
    setattr(settings, signing.ENV_KEY_FILE, str(tmp_path / "missing.pem"))
    signing.reset_cache()
    with pytest.raises(FileNotFoundError):
        signing.private_key()


def test_b64url_has_no_padding():
    assert "=" not in signing.b64url(b"ab")
    assert base64.urlsafe_b64decode("YWI=") == signing.b64url_decode("YWI")
