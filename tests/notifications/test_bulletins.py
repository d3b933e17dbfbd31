"""Bulletins: the secretariat sends security information to the security contacts and members
of active licence holders (all, or filtered by scheme version and reception body), once each."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ssmark.accounts.models import Organisation, OrganisationKind
from ssmark.catalog.models import Scheme
from ssmark.core.models import AuditEntry
from ssmark.licences.models import LicenceStatus
from ssmark.notifications import services
from ssmark.notifications.models import Bulletin, BulletinStatus, Notification
from tests.conftest import make_user
from tests.fees import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def holders(orgs):
    """sample-net: two ISP licences at JAIPA; other-isp: Wi-Fi licence at TELESA;
    lapsed-isp: a lapsed licence only."""
    lapsed = Organisation.objects.create(
        kind=OrganisationKind.APPLICANT,
        name="失効ネット株式会社",
        code="lapsed-isp",
        security_contact_email="sec@lapsed.example",
    )
    orgs["lapsed-isp"] = lapsed
    factories.licence(orgs, org="sample-net")
    factories.licence(orgs, org="sample-net")
    factories.licence(orgs, org="other-isp", reception="TELESA", scheme=Scheme.PUBLIC_WIFI)
    factories.licence(orgs, org="lapsed-isp", status=LicenceStatus.LAPSED)
    make_user("lapsed-user", lapsed)
    return orgs


def draft(users, **kw) -> Bulletin:
    return Bulletin.objects.create(
        title="DNSサーバの脆弱性について",
        body="BINDの脆弱性（CVE-2026-0001）が公表されました。",
        severity="critical",
        links="https://www.jpcert.or.jp/at/2026/at260001.html",
        created_by=users["sue"],
        **kw,
    )


def recipients_of(bulletin: Bulletin) -> set[str]:
    return {
        n.recipient.username if n.recipient else n.email
        for n in Notification.objects.filter(bulletin=bulletin).select_related("recipient")
    }


def test_sent_to_every_active_holder_once(users, holders):
    bulletin = draft(users)
    count = services.send_bulletin(bulletin=bulletin, actor=users["sue"])
    assert recipients_of(bulletin) == {
        "alice",
        "bob",
        "security@sample-net.example",
        "charlie",
        "security@other-isp.example",
    }
    assert count == 5 == Notification.objects.count()
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.SENT and bulletin.recipient_count == 5
    assert AuditEntry.objects.filter(action="ssmark.bulletin.sent").count() == 1
    note = Notification.objects.get(recipient=users["alice"])
    assert note.subject == "【安全・安心マーク】[緊急 / Critical] DNSサーバの脆弱性について"
    assert "https://www.jpcert.or.jp/at/2026/at260001.html" in note.body
    with pytest.raises(ValueError, match=str(services.ERROR_ALREADY_SENT)):
        services.send_bulletin(bulletin=bulletin, actor=users["sue"])
    assert Notification.objects.count() == 5


def test_security_contact_who_is_a_member_gets_it_once(users, holders):
    users["bob"].email = "security@sample-net.example"
    users["bob"].save()
    bulletin = draft(users, scheme=Scheme.ISP)
    services.send_bulletin(bulletin=bulletin, actor=users["sue"])
    assert recipients_of(bulletin) == {"alice", "bob"}


def test_filter_by_scheme_version(users, holders):
    bulletin = draft(users, scheme=Scheme.PUBLIC_WIFI)
    services.send_bulletin(bulletin=bulletin, actor=users["sue"])
    assert recipients_of(bulletin) == {"charlie", "security@other-isp.example"}


def test_filter_by_reception_body(users, holders):
    bulletin = draft(users)
    bulletin.reception_bodies.set([holders["JAIPA"]])
    services.send_bulletin(bulletin=bulletin, actor=users["sue"])
    assert recipients_of(bulletin) == {"alice", "bob", "security@sample-net.example"}


def test_no_matching_holder_is_refused(users, holders):
    bulletin = draft(users, scheme=Scheme.PUBLIC_WIFI)
    bulletin.reception_bodies.set([holders["TCA"]])
    with pytest.raises(ValueError, match=str(services.ERROR_NO_RECIPIENTS)):
        services.send_bulletin(bulletin=bulletin, actor=users["sue"])
    assert Bulletin.objects.get().status == BulletinStatus.DRAFT


@pytest.mark.parametrize("name", ["alice", "rin", "kei"])
def test_only_the_secretariat_sends(users, holders, name):
    with pytest.raises(PermissionError):
        services.send_bulletin(bulletin=draft(users), actor=users[name])


# --- pages -----------------------------------------------------------------------------------


def test_sue_writes_and_sends_and_alice_reads(client_for, users, holders):
    sue = client_for("sue")
    response = sue.post(
        reverse("notifications:bulletin_new"),
        {
            "title": "ルータの脆弱性",
            "severity": "warning",
            "body": "ファームウェアを更新してください。",
            "links": "https://www.jpcert.or.jp/at/2026/at260002.html\n",
            "scheme": "",
            "reception_bodies": [holders["JAIPA"].pk],
        },
    )
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    preview = sue.get(reverse("notifications:bulletin", args=[bulletin.pk])).content.decode()
    assert "サンプルネット株式会社" in preview and "アザーISP株式会社" not in preview
    assert sue.post(reverse("notifications:bulletin_send", args=[bulletin.pk])).status_code == 302
    alice = client_for("alice")
    assert "ルータの脆弱性" in alice.get(reverse("notifications:bulletins")).content.decode()
    page = alice.get(reverse("notifications:bulletin", args=[bulletin.pk])).content.decode()
    assert "ファームウェアを更新してください。" in page
    assert "ルータの脆弱性" in alice.get(reverse("notifications:inbox")).content.decode()


def test_bad_link_is_refused(client_for, users):
    response = client_for("sue").post(
        reverse("notifications:bulletin_new"),
        {"title": "t", "severity": "info", "body": "b", "links": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert not Bulletin.objects.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("alice", 200),
        ("bob", 200),
        ("charlie", 404),
        ("rin", 404),
        ("kei", 404),
        ("sue", 200),
        ("ada", 200),
    ],
)
def test_who_reads_a_sent_bulletin(client_for, users, holders, name, expected):
    bulletin = draft(users, scheme=Scheme.ISP)
    services.send_bulletin(bulletin=bulletin, actor=users["sue"])
    url = reverse("notifications:bulletin", args=[bulletin.pk])
    assert client_for(name).get(url).status_code == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("alice", 404), ("charlie", 404), ("rin", 404), ("sue", 200), ("ada", 200)],
)
def test_drafts_are_for_the_secretariat_only(client_for, users, holders, name, expected):
    bulletin = draft(users)
    url = reverse("notifications:bulletin", args=[bulletin.pk])
    assert client_for(name).get(url).status_code == expected


@pytest.mark.parametrize(("name", "expected"), [("alice", 404), ("rin", 404), ("kei", 404)])
def test_send_url_refuses_everyone_else(client_for, users, holders, name, expected):
    bulletin = draft(users)
    url = reverse("notifications:bulletin_send", args=[bulletin.pk])
    assert client_for(name).post(url).status_code == expected
    assert Bulletin.objects.get().status == BulletinStatus.DRAFT


@pytest.mark.parametrize(
    ("name", "expected"), [("alice", 403), ("rin", 403), ("sue", 200), ("ada", 200)]
)
def test_new_bulletin_page(client_for, users, name, expected):
    assert client_for(name).get(reverse("notifications:bulletin_new")).status_code == expected
