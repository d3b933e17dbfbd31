"""Invitations: by e-mail, to an organisation with roles, single-use expiring links."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client

from ssmark.accounts.models import User
from ssmark.core.models import AuditEntry
from ssmark.people import services
from ssmark.people.models import Invitation

pytestmark = pytest.mark.django_db


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://\S+/people/join/\S+/", str(message.body))
    assert match, message.body
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture(autouse=True)
def _mail_on_commit(django_capture_on_commit_callbacks):
    global _capture
    _capture = django_capture_on_commit_callbacks


def _post(client: Client, path: str, data: dict | None = None):
    with _capture(execute=True):
        return client.post(path, data or {})


def invite(client: Client, org_pk: int, email: str = "new@isp.example", roles=("applicant",)):
    return _post(
        client,
        "/people/invitations/",
        {"email": email, "organisation": org_pk, "roles": list(roles), "family_name": "山田"},
    )


def test_secretariat_invites_and_the_person_joins_by_the_link(client_for, orgs, settings):
    settings.SITE_URL = "https://mark.example.jp"
    sue = client_for("sue")
    response = invite(sue, orgs["sample-net"].pk)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@isp.example"]
    assert "https://mark.example.jp/people/join/" in message.body  # the public address
    body_ja, body_en = message.body.split("----------")
    assert "サンプルネット株式会社" in body_ja and "招待" in body_ja
    assert "invited" in body_en
    path = link_in(message)

    person = Client()
    page = person.get(path)
    assert page.status_code == 200
    assert 'value="山田"' in page.content.decode()  # prefilled from the invitation
    done = person.post(
        path,
        {
            "family_name": "山田",
            "given_name": "花子",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
    )
    assert done.status_code == 302
    user = User.objects.get(username="new@isp.example")
    assert (user.last_name, user.first_name, user.organisation) == (
        "山田",
        "花子",
        orgs["sample-net"],
    )
    assert user.has_role("applicant") and not user.has_role("secretariat")
    assert person.get("/people/sessions/").status_code == 200  # signed in

    # Single use: the same link no longer opens anything.
    again = Client().get(path)
    assert again.status_code == 404
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[:2] == ["ssmark.invitation.sent", "ssmark.invitation.accepted"]
    # And the new person signs in with the e-mail address and the password.
    assert Client().login(username="new@isp.example", password="a long new passphrase")


def test_bad_input_keeps_what_was_typed(client_for, orgs):
    sue = client_for("sue")
    invite(sue, orgs["sample-net"].pk)
    path = link_in(mail.outbox[0])
    person = Client()
    response = person.post(
        path, {"family_name": "山田", "given_name": "花子", "password1": "x", "password2": "y"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="花子"' in text
    assert not User.objects.filter(username="new@isp.example").exists()


def test_expired_link_is_refused(client_for, orgs, settings):
    settings.INVITATION_VALID_DAYS = 3
    invite(client_for("sue"), orgs["sample-net"].pk)
    inv = Invitation.objects.get()
    assert (inv.expires_at - inv.sent_at) == datetime.timedelta(days=3)
    path = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=inv.sent_at)
    assert Client().get(path).status_code == 404


def test_revoke_and_resend(client_for, orgs):
    sue = client_for("sue")
    invite(sue, orgs["sample-net"].pk)
    inv = Invitation.objects.get()
    first = link_in(mail.outbox[0])
    confirm = sue.get(f"/people/invitations/{inv.pk}/revoke/")
    assert confirm.status_code == 200 and "取り消" in confirm.content.decode()
    assert Client().get(first).status_code == 200  # asking is not revoking
    sue.post(f"/people/invitations/{inv.pk}/revoke/")
    assert Client().get(first).status_code == 404
    # A revoked invitation cannot be resent; a new one can be made for the address.
    _post(sue, f"/people/invitations/{inv.pk}/resend/")
    assert len(mail.outbox) == 1
    invite(sue, orgs["sample-net"].pk)
    second = Invitation.objects.exclude(pk=inv.pk).get()
    old_link = link_in(mail.outbox[1])
    _post(sue, f"/people/invitations/{second.pk}/resend/")
    assert len(mail.outbox) == 3
    assert Client().get(old_link).status_code == 404  # the resent mail replaced it
    assert Client().get(link_in(mail.outbox[2])).status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"ssmark.invitation.revoked", "ssmark.invitation.resent"} <= actions


def test_an_address_with_a_pending_invitation_or_an_account_is_refused(client_for, orgs):
    sue = client_for("sue")
    invite(sue, orgs["sample-net"].pk)
    response = invite(sue, orgs["sample-net"].pk)
    assert response.status_code == 200
    assert str(services.ERROR_ALREADY_INVITED) in response.content.decode() or (
        "保留中" in response.content.decode()
    )
    assert invite(sue, orgs["sample-net"].pk, email="alice@example.test").status_code == 200
    assert Invitation.objects.count() == 1


def _jaipa_licence(orgs) -> None:
    """Sample Net holds a JAIPA licence: an applicant of JAIPA's reception staff (rin)."""
    from ssmark.licences.models import Licence

    day = datetime.date(2026, 1, 1)
    Licence.objects.create(
        number="J0001",
        serial=1,
        organisation=orgs["sample-net"],
        service_name="サンプル光",
        reception_body=orgs["JAIPA"],
        first_granted_on=day,
        valid_from=day,
        valid_until=day + datetime.timedelta(days=700),
    )


def test_reception_staff_invite_applicants_of_their_own_body_only(client_for, orgs, users):
    _jaipa_licence(orgs)  # Sample Net holds a JAIPA licence; Other ISP has nothing at JAIPA
    assert services.can_invite(users["rin"], orgs["sample-net"], ["applicant"])
    assert not services.can_invite(users["tomo"], orgs["sample-net"], ["applicant"])
    assert not services.can_invite(users["rin"], orgs["other-isp"], ["applicant"])
    assert not services.can_invite(users["rin"], orgs["sample-net"], ["secretariat"])
    assert not services.can_invite(users["rin"], orgs["JAIPA"], ["reception_staff"])
    rin = client_for("rin")
    assert invite(rin, orgs["other-isp"].pk).status_code == 200  # not a choice: form error
    assert not Invitation.objects.exists()
    assert invite(rin, orgs["sample-net"].pk).status_code == 302
    assert Invitation.objects.get().invited_by == users["rin"]
    assert services.can_invite(users["sue"], orgs["JAIPA"], ["reception_staff", "first_reviewer"])


@pytest.mark.parametrize("name", ["alice", "ren", "kei"])
def test_others_cannot_reach_the_invitations(client_for, orgs, name):
    c = client_for(name)
    assert c.get("/people/invitations/").status_code == 404


def test_invitations_of_other_bodies_are_hidden(client_for, orgs, users):
    services.invite(
        actor=users["sue"],
        email="x@isp.example",
        organisation=orgs["other-isp"],
        roles=["applicant"],
    )
    inv = Invitation.objects.get()
    tomo = client_for("tomo")
    assert tomo.post(f"/people/invitations/{inv.pk}/revoke/").status_code == 404
    assert tomo.post(f"/people/invitations/{inv.pk}/resend/").status_code == 404
    assert Invitation.objects.get().revoked_at is None


def test_reception_staff_cannot_manage_an_invitation_with_roles_they_may_not_give(
    client_for, orgs, users
):
    _jaipa_licence(orgs)  # Sample Net is rin's (JAIPA) applicant
    own = services.invite(
        actor=users["rin"],
        email="a@isp.example",
        organisation=orgs["sample-net"],
        roles=["applicant"],
    )
    council = services.invite(
        actor=users["sue"],
        email="b@isp.example",
        organisation=orgs["sample-net"],
        roles=["applicant", "secretariat"],
    )
    assert list(services.visible_invitations(users["rin"])) == [own]
    rin = client_for("rin")
    assert "b@isp.example" not in rin.get("/people/invitations/").content.decode()
    assert _post(rin, f"/people/invitations/{council.pk}/resend/").status_code == 404
    assert _post(rin, f"/people/invitations/{council.pk}/revoke/").status_code == 404
    assert Invitation.objects.get(pk=council.pk).revoked_at is None
    assert _post(rin, f"/people/invitations/{own.pk}/revoke/").status_code == 302


def test_the_link_page_is_never_cached(client_for, orgs):
    invite(client_for("sue"), orgs["sample-net"].pk)
    page = Client().get(link_in(mail.outbox[0]))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
