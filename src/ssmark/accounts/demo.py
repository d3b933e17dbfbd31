"""Demo organisations and one user per role. Idempotent: updates in place, never duplicates."""

from __future__ import annotations

import unicodedata
from typing import Protocol

from django.db import transaction

from .middleware import needs_second_factor
from .models import Organisation, OrganisationKind, Role, SecretariatOf, User, UserRole


class Writer(Protocol):
    def write(self, msg: str) -> object: ...


DEMO_PASSWORD = "ssmark-demo"  # noqa: S105 - demo data, printed for the user on purpose
# Staff must sign in with a second factor: the demo staff share this published TOTP key, so a
# demo can be run with any authenticator app or with `ssmark demo-code`. Never for real users.
DEMO_TOTP_SECRET = "SSMARKDEMOSTAFFTOTPSECRETKEY2345"  # noqa: S105 - published demo key

RECEPTION_BODIES = [
    # code, letter, Japanese name, English name, qualified-invoice registration number (demo)
    (
        "JAIPA",
        "J",
        "一般社団法人日本インターネットプロバイダー協会",
        "Japan Internet Providers Association",
        "T1010405010486",
    ),
    (
        "TELESA",
        "T",
        "一般社団法人テレコムサービス協会",
        "Telecom Services Association",
        "T6010405003398",
    ),
    (
        "TCA",
        "D",
        "一般社団法人電気通信事業者協会",
        "Telecommunications Carriers Association",
        "T2010005004125",
    ),
]
# Seed 002: two secretariats. The review committee's (at TELESA) runs the committee sessions:
# its code stays SECRETARIAT, which the demo's staff and the tests' fixtures belong to.
SECRETARIAT = (
    "SECRETARIAT",
    "インターネット接続サービス安全・安心マーク審査委員会 事務局",
    "Safe/Secure Mark Review Committee Secretariat",
)
COUNCIL_SECRETARIAT = (
    "COUNCIL",
    "インターネット接続サービス安全・安心マーク推進協議会 事務局",
    "Safe/Secure Mark Promotion Council Secretariat",
)
APPLICANTS = [
    ("sample-net", "サンプルネット株式会社", "Sample Net Co., Ltd.", "security@sample-net.example"),
    ("minato-isp", "みなとISP株式会社", "Minato ISP K.K.", "csirt@minato-isp.example"),
]

# username, organisation key, roles, Japanese name (last, first), is_superuser
DEMO_USERS = [
    ("alice", "sample-net", [Role.APPLICANT], ("山田", "アリス"), False),
    ("carol", "minato-isp", [Role.APPLICANT], ("港", "キャロル"), False),
    ("uketsuke", "JAIPA", [Role.RECEPTION_STAFF], ("受付", "花子"), False),
    ("shinsa", "JAIPA", [Role.FIRST_REVIEWER], ("審査", "一郎"), False),
    ("iin", "SECRETARIAT", [Role.COMMITTEE_MEMBER, Role.COMMITTEE_CHAIR], ("委員", "法子"), False),
    ("jimukyoku", "SECRETARIAT", [Role.SECRETARIAT], ("事務", "次郎"), False),
    ("admin", "SECRETARIAT", [Role.ADMINISTRATOR], ("管理", "者"), True),
]


def demo_organisation(key: str) -> Organisation:
    return Organisation.objects.get(code=key)


@transaction.atomic
def load(out: Writer) -> None:
    for code, letter, name, name_en, regno in RECEPTION_BODIES:
        Organisation.objects.update_or_create(
            code=code,
            defaults={
                "kind": OrganisationKind.RECEPTION_BODY,
                "name": name,
                "name_en": name_en,
                "licence_letter": letter,
                "invoice_registration_number": regno,
            },
        )
    for (code, name, name_en), of, host in (
        (SECRETARIAT, SecretariatOf.COMMITTEE, "TELESA"),
        (COUNCIL_SECRETARIAT, SecretariatOf.COUNCIL, "JAIPA"),
    ):
        Organisation.objects.update_or_create(
            code=code,
            defaults={
                "kind": OrganisationKind.SECRETARIAT,
                "name": name,
                "name_en": name_en,
                "secretariat_of": of,
                "hosted_by": Organisation.objects.get(code=host),
            },
        )
    for code, name, name_en, email in APPLICANTS:
        Organisation.objects.update_or_create(
            code=code,
            defaults={
                "kind": OrganisationKind.APPLICANT,
                "name": name,
                "name_en": name_en,
                "security_contact_email": email,
            },
        )
    for username, org_code, roles, (last, first), superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        user.organisation = Organisation.objects.get(code=org_code)
        user.last_name, user.first_name = last, first
        user.email = f"{username}@demo.ssmark.example"
        user.is_staff = user.is_superuser = superuser
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        for role in roles:
            UserRole.objects.get_or_create(user=user, role=role)
        if needs_second_factor(user) and not user.totp_enabled:
            user.totp_secret, user.totp_enabled = DEMO_TOTP_SECRET, True
            user.save(update_fields=["totp_secret", "totp_enabled"])
    out.write(f"demo: {len(DEMO_USERS)} users, {Organisation.objects.count()} organisations\n")


def _pad(text: str, width: int) -> str:
    """Pad to a display width: Japanese (wide) characters take two columns in a terminal."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


def print_logins(out: Writer) -> None:
    """The demo users as stored: their roles' labels and their organisation. Both
    secretariats' staff hold the one secretariat role; the organisation says which."""
    out.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})\n")
    for username, *_ in DEMO_USERS:
        user = User.objects.select_related("organisation").get(username=username)
        held = user.role_set()
        labels = ", ".join(str(role.label) for role in Role if role in held)
        org = user.organisation.name if user.organisation else ""
        out.write(f"  {_pad(username, 11)}{_pad(labels, 26)}{org}\n")
    out.write(
        "\nStaff (all but alice and carol) then enter a 6-digit code: add the demo key\n"
        f"  {DEMO_TOTP_SECRET}\n"
        "to an authenticator app, or run `ssmark demo-code` for the current code.\n"
    )
