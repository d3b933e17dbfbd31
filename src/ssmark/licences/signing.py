"""The scheme's signing key and compact JWS (RFC 7515) with EdDSA / Ed25519 (RFC 8037).

Key: the PEM (PKCS#8) private key in the file named by the environment variable
SSMARK_SIGNING_KEY_FILE; without it, `<SSMARK_VAR_DIR>/licence_signing_key.pem`, generated on
first use with mode 0600 (created atomically, so several server processes starting at once
agree on one key). The public key is published as a JWKS at /.well-known/jwks.json; its `kid`
is the RFC 7638 JWK thumbprint, so it changes exactly when the key changes.

Only `cryptography` is used (no JOSE library): the format is small and fixed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

ENV_KEY_FILE = "SSMARK_SIGNING_KEY_FILE"
DEFAULT_KEY_NAME = "licence_signing_key.pem"
ALG = "EdDSA"


class InvalidToken(ValueError):
    """The token is malformed, signed by another key, or tampered with."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise InvalidToken("not base64url") from exc


def key_path() -> Path:
    configured = str(getattr(settings, ENV_KEY_FILE, "") or "").strip()
    if configured:
        return Path(configured)
    return Path(settings.VAR_DIR) / DEFAULT_KEY_NAME


def _create_key(path: Path) -> None:
    """Write a new key to `path` unless one exists; never overwrite, never half-written."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic; fails if another process made the key first
    finally:
        os.unlink(tmp)


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def private_key() -> Ed25519PrivateKey:
    path = key_path()
    with _lock:
        cached = _cache.get("key")
        if cached is not None and _cache.get("path") == path:
            return cached
        if not path.exists():
            if str(getattr(settings, ENV_KEY_FILE, "") or "").strip():
                raise FileNotFoundError(f"{ENV_KEY_FILE}={path}: no such file")
            _create_key(path)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path}: not an Ed25519 private key")
        _cache.update(key=key, path=path)
        return key


def reset_cache() -> None:
    with _lock:
        _cache.clear()


def public_jwk(public: Ed25519PublicKey | None = None) -> dict[str, str]:
    public = public or private_key().public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}
    # RFC 7638 thumbprint: SHA-256 of the required members, sorted, no whitespace.
    thumb = hashlib.sha256(json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode())
    return {**jwk, "kid": b64url(thumb.digest()), "use": "sig", "alg": ALG}


def jwks() -> dict[str, list[dict[str, str]]]:
    return {"keys": [public_jwk()]}


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(payload: dict[str, Any], *, typ: str = "JWT") -> str:
    """A compact JWS of `payload`, signed with the scheme's key."""
    header = {"alg": ALG, "typ": typ, "kid": public_jwk()["kid"]}
    signing_input = f"{b64url(_json(header))}.{b64url(_json(payload))}"
    signature = private_key().sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


def verify(token: str, jwks_document: dict[str, Any]) -> dict[str, Any]:
    """Verify a compact JWS against a JWKS document (as a third party would, with only the
    published keys) and return its payload. Does not check `exp`: the caller decides."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise InvalidToken("a compact JWS has three parts")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
    except ValueError as exc:
        raise InvalidToken("header or payload is not JSON") from exc
    if not isinstance(header, dict) or header.get("alg") != ALG:
        raise InvalidToken("unsupported algorithm")
    keys = [k for k in jwks_document.get("keys", []) if k.get("kid") == header.get("kid")]
    if not keys or keys[0].get("kty") != "OKP" or keys[0].get("crv") != "Ed25519":
        raise InvalidToken("unknown key")
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(keys[0]["x"]))
    try:
        public.verify(b64url_decode(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature as exc:
        raise InvalidToken("bad signature") from exc
    if not isinstance(payload, dict):
        raise InvalidToken("payload is not an object")
    return payload
