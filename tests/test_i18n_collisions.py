"""Django merges every app's Japanese catalog into one: a message id that two apps translate
differently shows the first app's word (INSTALLED_APPS order, Django's own apps and REST
framework first) everywhere. Each msgid (with its context) must have one Japanese translation
across all apps; a different meaning takes a translation context (pgettext_lazy /
{% translate ... context "..." %})."""

from __future__ import annotations

import collections
import gettext
from pathlib import Path

import polib
from django.apps import apps as django_apps
from django.conf import settings
from django.db import models

SRC = Path(__file__).resolve().parents[1] / "src" / "ssmark"


def collisions() -> dict[tuple[str | None, str], dict[str, str]]:
    seen: dict[tuple[str | None, str], dict[str, str]] = collections.defaultdict(dict)
    for po in sorted(SRC.glob("*/locale/ja/LC_MESSAGES/django.po")):
        app = po.parts[-5]
        for entry in polib.pofile(str(po)):
            if entry.msgstr and not entry.obsolete:
                seen[(entry.msgctxt, entry.msgid)][app] = entry.msgstr
    return {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}


def test_catalogs_are_found() -> None:
    assert len(list(SRC.glob("*/locale/ja/LC_MESSAGES/django.po"))) >= 5


def test_no_msgid_has_two_japanese_translations() -> None:
    found = collisions()
    lines = [
        f"{'' if ctx is None else ctx + ' | '}{msgid!r}: "
        + ", ".join(f"{app}={text}" for app, text in sorted(apps.items()))
        for (ctx, msgid), apps in sorted(found.items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))
    ]
    assert not found, "same msgid, different Japanese in two apps:\n" + "\n".join(lines)


def _winner(key: str, catalogs: list[dict[str, str]]) -> str | None:
    for catalog in catalogs:
        if catalog.get(key):
            return catalog[key]
    return None


def _mo(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    return {k: v for k, v in catalog.items() if isinstance(k, str)}


def test_every_app_shows_its_own_japanese_word() -> None:
    """What Django shows is the first catalog holding the msgid (LOCALE_PATHS, then the apps in
    INSTALLED_APPS order, then Django's own): each of our entries must be that winner, also
    against Django's and REST framework's catalogs (e.g. "session", "Filter", "user")."""
    catalogs: list[dict[str, str]] = []
    ours: dict[str, dict[str, str]] = {}
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    dirs += [Path(cfg.path) / "locale" for cfg in django_apps.get_app_configs()]
    for locale_dir in dirs:
        po = locale_dir / "ja" / "LC_MESSAGES" / "django.po"
        if po.is_relative_to(SRC) and po.exists():
            entries = {
                (f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid): e.msgstr
                for e in polib.pofile(str(po))
                if e.msgstr and not e.obsolete and not e.msgid_plural and "fuzzy" not in e.flags
            }
            ours[po.parts[-5]] = entries
            catalogs.append(entries)
        else:
            catalogs.append(_mo(locale_dir / "ja" / "LC_MESSAGES" / "django.mo"))
    import django

    catalogs.append(_mo(Path(django.__file__).parent / "conf/locale/ja/LC_MESSAGES/django.mo"))
    wrong = [
        f"{app}: {key!r} is {text} but shows {_winner(key, catalogs)}"
        for app, entries in sorted(ours.items())
        for key, text in entries.items()
        if _winner(key, catalogs) != text
    ]
    assert not wrong, "\n".join(wrong)


def test_each_meaning_shows_its_own_japanese_word() -> None:
    from django.utils import translation

    from ssmark.accounts.models import Organisation
    from ssmark.applications.models import ScanFinding
    from ssmark.committee.models import AgendaDecision, AgendaItem, SessionStatus
    from ssmark.fees.models import Invoice
    from ssmark.licences.models import IncidentStatus, LicenceStatus, RenewalReminder
    from ssmark.notifications.models import Bulletin
    from ssmark.people.models import Invitation, InvitationState, UserSession
    from ssmark.reviews.models import Decision
    from ssmark.webhooks.models import Endpoint

    def label(model: type[models.Model], field: str) -> str:
        return str(model._meta.get_field(field).verbose_name)  # type: ignore[union-attr]

    with translation.override("ja"):
        assert label(Bulletin, "severity") == "重要度"
        assert label(ScanFinding, "band") == "深刻度"
        assert label(AgendaItem, "session") == "委員会"
        assert str(UserSession._meta.verbose_name) == "セッション"
        assert label(Organisation, "address") == "住所"
        assert label(UserSession, "ip_address") == "IPアドレス"
        assert label(Endpoint, "url") == "送信先"
        assert str(LicenceStatus.REVOKED.label) == "許諾取消"
        assert str(InvitationState.REVOKED.label) == "取消済み"
        assert label(Invitation, "revoked_at") == "取消日時"
        assert label(Invoice, "due_on") == "支払期限"
        assert label(RenewalReminder, "due_on") == "予定日"
        assert str(SessionStatus.CLOSED.label) == "閉会"
        assert str(IncidentStatus.CLOSED.label) == "終了"
        assert str(Decision.REJECTED.label) == "不合格"
        assert str(AgendaDecision.REJECTED.label) == "不承認"
        assert label(Bulletin, "sent_at") == "送信日時"
        assert label(RenewalReminder, "sent") == "送信済み"
