"""Issue 9, point 11: while the demo registry is loaded, every registry page says that its
licence numbers and dates are invented; without it, no notice."""

from __future__ import annotations

import io

import pytest
from django.conf import settings

from ssmark.accounts import demo as accounts_demo
from ssmark.licences import demo, snapshot

pytestmark = pytest.mark.django_db

JA = "マーク使用許諾管理番号と日付は架空のものです"
EN = "licence numbers and dates shown here are invented"


def test_no_notice_without_the_demo(client, orgs):
    snapshot.reset()
    body = client.get("/registry/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert JA not in body and "demo-notice" not in body


def test_notice_on_every_registry_page_while_the_demo_is_loaded(client):
    accounts_demo.load(out=io.StringIO())
    demo.load(out=io.StringIO())
    demo.load(out=io.StringIO())  # idempotent: one marker
    snapshot.reset()  # a process checks the change token at most once a second
    first = client.get("/registry/").content.decode()
    assert JA in first
    second = client.get("/registry/?page=3").content.decode()
    assert JA in second and "T0112" in second
    verify = client.get("/licences/J0072/").content.decode()
    assert JA in verify and EN in verify  # the verification page is bilingual
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/registry/").content.decode()
    assert EN in english
