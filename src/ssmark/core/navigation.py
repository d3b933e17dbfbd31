"""The main navigation, per role: each user sees the places their roles can work in."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Role

STAFF = (Role.RECEPTION_STAFF, Role.FIRST_REVIEWER, Role.SECRETARIAT, Role.ADMINISTRATOR)
COMMITTEE = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)
FEES_STAFF = (Role.RECEPTION_STAFF, Role.SECRETARIAT, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    roles: tuple[str, ...] | None  # None: every signed-in user


# Order is the order of the menu. "Registry" is public and always first.
ENTRIES = (
    NavEntry("catalog:index", _("Criteria"), None),
    NavEntry("applications:list", _("Applications"), (Role.APPLICANT,)),
    NavEntry("reviews:queue", _("First review"), (*STAFF, Role.COMMITTEE_MEMBER)),
    NavEntry("committee:sessions", _("Committee"), COMMITTEE),
    NavEntry("licences:mine", _("Licences"), None),
    NavEntry("fees:dashboard", _("Fees"), FEES_STAFF),
    NavEntry("fees:invoices", _("Invoices"), (Role.APPLICANT,)),
    NavEntry("notifications:bulletins", _("Bulletins"), None),
    NavEntry("notifications:inbox", _("Notifications"), None),
    NavEntry(
        "people:invitations",
        _("People"),
        (Role.RECEPTION_STAFF, Role.SECRETARIAT, Role.ADMINISTRATOR),
    ),
    NavEntry("people:users", _("Accounts"), (Role.ADMINISTRATOR,)),
)


def entries_for(request: HttpRequest) -> list[tuple[str, str | Promise, bool]]:
    """(url, label, is_current) for the signed-in user's menu."""
    user = request.user
    if not user.is_authenticated:
        return []
    has_role = getattr(user, "has_role", None)
    menu = []
    for entry in ENTRIES:
        if entry.roles is not None and not (has_role and has_role(*entry.roles)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        menu.append((url, entry.label, request.path.startswith(url)))
    return menu
