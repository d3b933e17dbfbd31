"""Shared steps of the security tests."""

from __future__ import annotations

import pyotp
from django.test import Client

from ssmark.accounts.models import User
from tests.conftest import PASSWORD


def enable_totp(user: User) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_enabled = secret, True
    user.save()
    return pyotp.TOTP(secret)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: str):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def enter_code(client: Client, code: str, **extra: str):
    return client.post("/accounts/login/code/", {"code": code}, **extra)
