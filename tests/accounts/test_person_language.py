"""A person's language: the header's switch stores it on the profile; a signed-in person's
pages follow it where the browser has no language cookie; their invoice lines follow it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from ssmark.accounts.models import User
from ssmark.fees.models import Invoice
from ssmark.fees.services.billing import raise_review_fee
from tests.fees import factories

pytestmark = pytest.mark.django_db


def test_new_people_read_japanese(users: dict[str, User]) -> None:
    assert users["alice"].language == "ja"


def test_the_switch_remembers_the_choice_on_the_profile(client_for, users) -> None:
    client = client_for("alice")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    users["alice"].refresh_from_db()
    assert users["alice"].language == "en"


def test_a_signed_in_person_without_a_cookie_sees_their_language(users) -> None:
    alice = users["alice"]
    alice.language = "en"
    alice.save(update_fields=["language"])
    client = Client()
    client.force_login(alice)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    page = client.get("/notifications/").content.decode()
    assert 'lang="en"' in page


def test_the_cookie_of_this_browser_still_wins(users) -> None:
    alice = users["alice"]
    alice.language = "en"
    alice.save(update_fields=["language"])
    client = Client()
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert 'lang="ja"' in client.get("/notifications/").content.decode()


def test_invoice_lines_in_the_readers_language_only(client_for, orgs, users) -> None:
    invoice = raise_review_fee(application=factories.application(orgs, users))
    assert isinstance(invoice, Invoice)
    client = client_for("alice")
    ja_page = client.get(f"/fees/invoices/{invoice.pk}/").content.decode()
    assert "審査料金" in ja_page and "Review fee (" not in ja_page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en_page = client.get(f"/fees/invoices/{invoice.pk}/").content.decode()
    assert "Review fee (" in en_page and "審査料金（" not in en_page
