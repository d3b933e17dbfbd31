"""Password reset by e-mail: the same answer for any address, throttled, ends every session."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from ssmark.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def reset_path(message: mail.EmailMessage) -> str:
    match = re.search(
        r"https?://[^/\s]+(/people/password/reset/[^/\s]+/[^/\s]+/)", str(message.body)
    )
    assert match, message.body
    return match.group(1)


def ask(client: Client, email: str):
    return client.post("/people/password/reset/", {"email": email})


def test_same_answer_whether_or_not_the_address_exists(users):
    known = ask(Client(), "alice@example.test")
    unknown = ask(Client(), "nobody@example.test")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known["Location"] == "/people/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [["alice@example.test"]]


def test_the_link_sets_a_new_password_and_ends_every_session(users, settings):
    settings.SITE_URL = "https://mark.example.jp"
    elsewhere = Client()
    assert elsewhere.login(username="alice", password="correct horse battery")
    assert elsewhere.get("/people/sessions/").status_code == 200

    ask(Client(), "alice@example.test")
    message = mail.outbox[0]
    assert "https://mark.example.jp/people/password/reset/" in message.body
    body_ja, body_en = message.body.split("----------")
    assert "パスワード" in body_ja and "alice" in body_ja
    assert "reset the password" in body_en
    person = Client()
    form = person.get(reset_path(message), follow=True)
    assert form.status_code == 200
    assert "新しいパスワード" in form.content.decode()
    done = person.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another long phrase 42", "new_password2": "another long phrase 42"},
    )
    assert done.status_code == 302 and done["Location"] == "/people/password/reset/done/"
    assert Client().login(username="alice", password="another long phrase 42")
    # The session signed in with the old password is over.
    assert elsewhere.get("/people/sessions/").status_code == 302
    assert AuditEntry.objects.filter(action="ssmark.user.password_reset").count() == 1
    # The link works once.
    again = Client().get(reset_path(message), follow=True)
    assert "無効" in again.content.decode()


def test_throttled_requests_send_nothing_but_answer_the_same(users, settings):
    settings.PASSWORD_RESET_LIMIT = 2
    answers = [ask(Client(), "alice@example.test") for _ in range(4)]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/people/password/reset/sent/")
    }
    assert len(mail.outbox) == 2


def test_pages_are_japanese_first(client):
    text = client.get("/people/password/reset/").content.decode()
    assert "パスワードを忘れた場合" in text
    assert "メールを確認してください" in client.get("/people/password/reset/sent/").content.decode()
