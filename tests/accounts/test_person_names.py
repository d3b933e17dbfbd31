"""People are shown by name, family name first, in both languages; never by sign-in name
where a name or address is known."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from ssmark.accounts.models import User

pytestmark = pytest.mark.django_db


def make(username: str, last: str = "", first: str = "", email: str = "") -> User:
    return User.objects.create_user(
        username=username, last_name=last, first_name=first, email=email, password="x" * 20
    )


def test_family_name_first_in_every_language() -> None:
    user = make("k.yamada", "山田", "花子", "hanako@example.jp")
    assert user.get_full_name() == "山田 花子"
    assert user.display_name == "山田 花子"
    assert str(user) == "山田 花子"
    western = make("j.smith", "Smith", "Jane")
    assert western.display_name == "Smith Jane"


def test_without_a_name_the_address_not_the_login() -> None:
    user = make("u12345", email="contact@example.jp")
    assert user.display_name == "contact@example.jp"
    assert make("only-login").display_name == "only-login"


def test_templates_printing_a_person_show_the_name() -> None:
    user = make("k.yamada", "山田", "花子")
    html = Template("{{ who }}").render(Context({"who": user}))
    assert html == "山田 花子"


def test_header_shows_the_name_family_first_on_english_pages(client_for, users) -> None:
    alice = users["alice"]
    alice.last_name, alice.first_name = "有栖川", "亜里沙"
    alice.save()
    client = client_for("alice")
    client.cookies["ssmark_language"] = "en"
    page = client.get("/notifications/").content.decode()
    assert "有栖川 亜里沙" in page
