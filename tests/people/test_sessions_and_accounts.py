"""A person sees and ends their own sessions; an administrator deactivates an account."""

from __future__ import annotations

import pytest
from django.test import Client

from ssmark.accounts.models import User
from ssmark.core.models import AuditEntry
from ssmark.people.models import UserSession

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def signed_in(username: str) -> Client:
    c = Client(HTTP_USER_AGENT=f"Browser of {username}")
    assert c.login(username=username, password=PASSWORD)
    return c


def test_sees_and_ends_own_sessions(users):
    laptop, phone = signed_in("alice"), signed_in("alice")
    signed_in("bob")
    page = laptop.get("/people/sessions/")
    assert page.status_code == 200
    rows = list(page.context["rows"])
    assert len(rows) == 2 and all(r.user.username == "alice" for r in rows)
    other = next(r for r in rows if r.session_key != laptop.session.session_key)
    # bob cannot end alice's session (it is not his): 404, nothing ends.
    bob = signed_in("bob")
    assert bob.post("/people/sessions/", {"session": other.pk}).status_code == 404
    assert phone.get("/people/sessions/").status_code == 200
    laptop.post("/people/sessions/", {"session": other.pk})
    assert phone.get("/people/sessions/").status_code == 302  # signed out
    assert laptop.get("/people/sessions/").status_code == 200


def test_end_all_others_and_sign_out_forgets_the_session(users):
    a, b, c = signed_in("alice"), signed_in("alice"), signed_in("alice")
    a.post("/people/sessions/", {"action": "end_others"})
    assert b.get("/people/sessions/").status_code == 302
    assert c.get("/people/sessions/").status_code == 302
    assert UserSession.objects.filter(user__username="alice").count() == 1
    a.post("/accounts/logout/")
    assert not UserSession.objects.filter(user__username="alice").exists()


def test_changing_the_password_ends_the_other_sessions(users):
    here, there = signed_in("alice"), signed_in("alice")
    response = here.post(
        "/people/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new phrase 7",
            "new_password2": "a brand new phrase 7",
        },
    )
    assert response.status_code == 302
    assert here.get("/people/sessions/").status_code == 200  # this one stays
    assert there.get("/people/sessions/").status_code == 302
    assert AuditEntry.objects.filter(action="ssmark.user.password_changed").exists()


def test_the_session_that_changed_the_password_stays_listed_and_can_be_ended(users):
    """Django gives the session a new key when the password changes; the session list follows
    it, so the session can still be seen and ended from another device."""
    here = signed_in("alice")
    here.post(
        "/people/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new phrase 7",
            "new_password2": "a brand new phrase 7",
        },
    )
    rows = list(here.get("/people/sessions/").context["rows"])
    assert [r.session_key for r in rows] == [here.session.session_key]
    elsewhere = Client()
    assert elsewhere.login(username="alice", password="a brand new phrase 7")
    elsewhere.post("/people/sessions/", {"action": "end_others"})
    assert here.get("/people/sessions/").status_code == 302  # ended


def test_administrator_deactivates_an_account_keeping_its_history(users, client_for):
    bob = signed_in("bob")
    ada = client_for("ada")
    confirm = ada.get(f"/people/users/{users['bob'].pk}/active/")
    assert confirm.status_code == 200 and "無効" in confirm.content.decode()
    assert User.objects.get(username="bob").is_active  # asking changes nothing
    ada.post(f"/people/users/{users['bob'].pk}/active/", {"active": "0"})
    gone = User.objects.get(username="bob")  # the row stays, with its history
    assert not gone.is_active
    assert bob.get("/people/sessions/").status_code == 302
    assert not Client().login(username="bob", password=PASSWORD)
    entry = AuditEntry.objects.get(action="ssmark.user.deactivated")
    assert entry.target_id == str(gone.pk) and entry.actor == users["ada"]
    ada.post(f"/people/users/{users['bob'].pk}/active/", {"active": "1"})
    assert Client().login(username="bob", password=PASSWORD)


@pytest.mark.parametrize("name", ["alice", "rin", "sue"])
def test_only_administrators_manage_accounts(users, client_for, name):
    c = client_for(name)
    assert c.get("/people/users/").status_code == 404
    assert c.post(f"/people/users/{users['bob'].pk}/active/", {"active": "0"}).status_code == 404
    assert User.objects.get(username="bob").is_active


def test_an_administrator_cannot_deactivate_themselves(users, client_for):
    ada = client_for("ada")
    ada.post(f"/people/users/{users['ada'].pk}/active/", {"active": "0"})
    assert User.objects.get(username="ada").is_active
