"""Who is told what, bulletins, and the e-mail delivery run by `ssmark send_notifications`.

`notify()` only writes Notification rows (one per recipient per event, enforced by a unique
constraint), so it may run inside any transaction. `deliver_pending()` sends the pending
e-mails: it first claims rows (SELECT … FOR UPDATE SKIP LOCKED where the database has it, and
in any case a conditional UPDATE pending → sending that only one run can win), then sends, then
marks each sent. Two runs at once, or one after another, never send a notification twice.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Organisation, Role, User
from ssmark.core.models import audit
from ssmark.licences.models import VALID_STATUSES, Licence

from . import messages
from .models import Bulletin, BulletinDelivery, BulletinStatus, EmailStatus, Notification

log = logging.getLogger(__name__)

ERROR_NOT_ALLOWED = _("Only the secretariat may send bulletins.")
ERROR_ALREADY_SENT = _("This bulletin has already been sent.")
ERROR_BAD_LINK = _("“%(link)s” is not a web address (http:// or https://).")
ERROR_NO_RECIPIENTS = _("No active licence holder matches these filters.")

MAX_ATTEMPTS = 5
# A claim older than this was interrupted (the process died between claiming and confirming);
# whether the mail left is unknown, so it is reported, not retried, unless --release-stale.
STALE_AFTER = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Recipient:
    user: User | None
    email: str

    @property
    def key(self) -> str:
        return f"user:{self.user.pk}" if self.user is not None else f"email:{self.email.lower()}"


# --- recipients ------------------------------------------------------------------------------


def members(organisation: Organisation | None, *roles: str) -> list[User]:
    """Active members of `organisation` (with one of `roles`, if given)."""
    if organisation is None:
        return []
    qs = User.objects.filter(organisation=organisation, is_active=True)
    if roles:
        qs = qs.filter(roles__role__in=roles)
    return list(qs.distinct().order_by("pk"))


def users_with_role(*roles: str) -> list[User]:
    return list(
        User.objects.filter(is_active=True, roles__role__in=roles).distinct().order_by("pk")
    )


def recipients(users: Iterable[User] = (), emails: Iterable[str] = ()) -> list[Recipient]:
    """Users first (once each), then extra addresses not already covered by one of the users."""
    result: list[Recipient] = []
    seen_users: set[int] = set()
    covered: set[str] = set()
    for user in users:
        if user.pk in seen_users:
            continue
        seen_users.add(user.pk)
        result.append(Recipient(user=user, email=user.email))
        if user.email:
            covered.add(user.email.lower())
    for email in emails:
        address = (email or "").strip()
        if address and address.lower() not in covered:
            covered.add(address.lower())
            result.append(Recipient(user=None, email=address))
    return result


def notify(
    *,
    kind: str,
    event_key: str,
    to: Iterable[Recipient],
    subject: str,
    body: str,
    link: str = "",
    bulletin: Bulletin | None = None,
    language: str = "",
) -> int:
    """Write one notification per recipient for this event; an (event, recipient) pair that
    already exists is skipped (so re-running a job never notifies twice). Returns how many
    rows the call tried to write."""
    rows = [
        Notification(
            recipient=r.user,
            email=r.email,
            recipient_key=r.key,
            event_key=event_key,
            kind=kind,
            subject=subject,
            body=body,
            link=link,
            bulletin=bulletin,
            language=language,
            email_status=EmailStatus.PENDING if r.email else EmailStatus.NONE,
        )
        for r in to
    ]
    # ON CONFLICT DO NOTHING: safe inside the sender's transaction on PostgreSQL too.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notify_message(
    *,
    kind: str,
    message_id: str,
    event_key: str,
    to: Iterable[Recipient],
    context: Mapping[str, Any],
    link: str = "",
    reason: str = "",
) -> int:
    """Each recipient reads the message in their own language; an address with no account
    behind it gets Japanese and English."""
    by_language: dict[str, list[Recipient]] = {}
    for recipient in to:
        by_language.setdefault(language_of(recipient.user), []).append(recipient)
    written = 0
    for language, group in by_language.items():
        subject, body = messages.render(message_id, context, reason=reason, language=language)
        written += notify(
            kind=kind,
            event_key=event_key,
            to=group,
            subject=subject,
            body=body,
            link=link,
            language=language,
        )
    return written


def language_of(user: Any) -> str:
    """The language a person chose for messages ("ja" by default), or "" for no person."""
    if user is None:
        return ""
    language = getattr(user, "language", "") or "ja"
    return language if language in messages.LANGUAGES else "ja"


def unique_suffix() -> str:
    """For events that may legitimately happen more than once (a second return, a status
    change back and forth): every occurrence is its own event."""
    return uuid.uuid4().hex


# --- inbox -----------------------------------------------------------------------------------


def inbox(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def mark_read(*, user: Any, notification: Notification | None = None) -> int:
    """Mark one (or all) of `user`'s notifications read; returns how many changed."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


# --- bulletins -------------------------------------------------------------------------------


def can_write_bulletins(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_role(Role.SECRETARIAT, Role.ADMINISTRATOR)
    )


def validate_links(text: str) -> None:
    validator = URLValidator(schemes=["http", "https"])
    for line in text.splitlines():
        link = line.strip()
        if not link:
            continue
        try:
            validator(link)
        except ValidationError:
            raise ValidationError(ERROR_BAD_LINK, params={"link": link}) from None


def holder_organisations(bulletin: Bulletin) -> QuerySet[Organisation]:
    """Organisations holding an active licence that matches the bulletin's filters."""
    licences = Licence.objects.filter(status__in=list(VALID_STATUSES))
    if bulletin.scheme:
        licences = licences.filter(scheme=bulletin.scheme)
    if bulletin.pk:
        bodies = list(bulletin.reception_bodies.values_list("pk", flat=True))
        if bodies:
            licences = licences.filter(reception_body_id__in=bodies)
    return Organisation.objects.filter(pk__in=licences.values("organisation_id")).order_by("pk")


def bulletin_recipients(bulletin: Bulletin) -> list[Recipient]:
    """Each holder's security contact and members, each person or address once."""
    found: list[Recipient] = []
    keys: set[str] = set()
    for organisation in holder_organisations(bulletin):
        for r in recipients(members(organisation), [organisation.security_contact_email]):
            if r.key not in keys and (r.email.lower() not in keys or r.user is not None):
                keys.add(r.key)
                if r.email:
                    keys.add(r.email.lower())
                found.append(r)
    return found


def visible_bulletins(user: Any) -> QuerySet[Bulletin]:
    """Bulletins `user` may read: all (secretariat, administrators) or those sent to their
    organisation (holders)."""
    if not getattr(user, "is_authenticated", False):
        return Bulletin.objects.none()
    if can_write_bulletins(user):
        return Bulletin.objects.all()
    if user.organisation_id is None:
        return Bulletin.objects.none()
    return Bulletin.objects.filter(
        status=BulletinStatus.SENT, deliveries__organisation_id=user.organisation_id
    ).distinct()


def send_bulletin(*, bulletin: Bulletin, actor: Any) -> int:
    """Send a draft bulletin to the holders it matches; returns the number of recipients.
    Each recipient gets it once; a bulletin is sent once."""
    if not can_write_bulletins(actor):
        raise PermissionError(str(ERROR_NOT_ALLOWED))
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if locked.status != BulletinStatus.DRAFT:
            raise ValueError(str(ERROR_ALREADY_SENT))
        organisations = list(holder_organisations(locked))
        if not organisations:
            raise ValueError(str(ERROR_NO_RECIPIENTS))
        to = bulletin_recipients(locked)
        BulletinDelivery.objects.bulk_create(
            [BulletinDelivery(bulletin=locked, organisation=o) for o in organisations],
            ignore_conflicts=True,
        )
        subject, body = bulletin_text(locked)
        notify(
            kind="bulletin",
            event_key=f"bulletin:{locked.pk}",
            to=to,
            subject=subject,
            body=body,
            link=f"/notifications/bulletins/{locked.pk}/",
            bulletin=locked,
        )
        now = timezone.now()
        Bulletin.objects.filter(pk=locked.pk).update(
            status=BulletinStatus.SENT, sent_at=now, sent_by=actor, recipient_count=len(to)
        )
        bulletin.status, bulletin.sent_at, bulletin.recipient_count = (
            BulletinStatus.SENT,
            now,
            len(to),
        )
        audit(
            actor=actor,
            action="ssmark.bulletin.sent",
            target=locked,
            from_state=BulletinStatus.DRAFT,
            to_state=BulletinStatus.SENT,
            data={"organisations": len(organisations), "recipients": len(to)},
        )
    return len(to)


def bulletin_text(bulletin: Bulletin) -> tuple[str, str]:
    """The bulletin as a notification: the secretariat's own text, with the severity and
    links labelled in Japanese and English."""
    from django.utils import translation

    from .models import Severity

    with translation.override("ja"):
        prefix = str(messages.PREFIX)
        severity_ja = str(Severity(bulletin.severity).label)
        links_ja = str(_("Links"))
    with translation.override("en"):
        severity_en = str(Severity(bulletin.severity).label)
        links_en = str(_("Links"))
    subject = " ".join(f"{prefix}[{severity_ja} / {severity_en}] {bulletin.title}".split())[:300]
    body = bulletin.body.strip()
    if bulletin.link_list:
        body += f"\n\n{links_ja} / {links_en}:\n" + "\n".join(bulletin.link_list)
    return subject, body


# --- e-mail delivery -------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    retry: int = 0
    stale: int = 0


def worker_id() -> str:
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claim(*, worker: str, limit: int) -> list[Notification]:
    """Claim up to `limit` pending notifications for `worker`. A row is claimed by exactly one
    worker: the UPDATE only changes rows still pending, whoever else is running."""
    with transaction.atomic():
        candidates = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(email_status=EmailStatus.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not candidates:
            return []
        Notification.objects.filter(pk__in=candidates, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.SENDING, claimed_by=worker, claimed_at=timezone.now()
        )
    return list(
        Notification.objects.filter(claimed_by=worker, email_status=EmailStatus.SENDING).order_by(
            "pk"
        )
    )


def email_message(notification: Notification) -> EmailMessage:
    body = notification.body
    language = notification.language
    if notification.link:
        open_in_app = messages.in_languages(messages.OPEN_IN_APP, language)
        body += f"\n\n{open_in_app}\n{settings.SITE_URL}{notification.link}"
    automatic = messages.in_languages(messages.AUTOMATIC, language, joiner="\n")
    body += f"\n\n--\n{automatic}"
    return EmailMessage(
        subject=notification.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
    )


def deliver_pending(*, limit: int = 500, release_stale: bool = False) -> DeliveryReport:
    """Send pending e-mails through Django's e-mail backend (console unless SMTP is set)."""
    report = DeliveryReport()
    stale = Notification.objects.filter(
        email_status=EmailStatus.SENDING, claimed_at__lt=timezone.now() - STALE_AFTER
    )
    if release_stale:
        stale.update(email_status=EmailStatus.PENDING, claimed_by="", claimed_at=None)
    else:
        report.stale = stale.count()
    worker = worker_id()
    claimed = claim(worker=worker, limit=limit)
    if not claimed:
        return report
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # no connection at all: nothing left, give the claims back
        Notification.objects.filter(claimed_by=worker, email_status=EmailStatus.SENDING).update(
            email_status=EmailStatus.PENDING,
            claimed_by="",
            claimed_at=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        log.warning("e-mail backend unavailable: %s", exc)
        report.retry += len(claimed)
        return report
    try:
        for notification in claimed:
            _deliver_one(connection, notification, worker, report)
    finally:
        connection.close()
    return report


def _deliver_one(
    connection: Any, notification: Notification, worker: str, report: DeliveryReport
) -> None:
    mine = Notification.objects.filter(
        pk=notification.pk, claimed_by=worker, email_status=EmailStatus.SENDING
    )
    try:
        if connection.send_messages([email_message(notification)]) != 1:
            raise RuntimeError("the e-mail backend did not accept the message")
    except Exception as exc:  # the backend's errors vary (SMTP, socket, …)
        attempts = notification.attempts + 1
        status = EmailStatus.FAILED if attempts >= MAX_ATTEMPTS else EmailStatus.PENDING
        mine.update(
            email_status=status,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_by="",
            claimed_at=None,
        )
        log.warning("notification %s not sent: %s", notification.pk, exc)
        if status == EmailStatus.FAILED:
            report.failed += 1
        else:
            report.retry += 1
        return
    mine.update(
        email_status=EmailStatus.SENT,
        sent_at=timezone.now(),
        attempts=notification.attempts + 1,
        last_error="",
    )
    report.sent += 1
