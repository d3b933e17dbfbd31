"""Invitations, ending sessions, deactivating accounts.

Each workflow checks the actor's role, changes inside `transaction.atomic()` and writes an
audit entry (`ssmark.invitation.*`, `ssmark.user.*`).

Who may invite: the secretariat and administrators invite anyone to any organisation with any
roles; reception staff invite applicant members (role `applicant` only) to the applicant
companies of their own reception body (a company with an application or a licence there).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Organisation, OrganisationKind, Role, User, UserRole
from ssmark.core import clock
from ssmark.core.models import audit
from ssmark.core.refusals import InvalidInput, NotAllowed, WrongState

from .models import Invitation, InvitationState, UserSession, token_digest

ERROR_NOT_ALLOWED = _("You may not invite people to this organisation with these roles.")
ERROR_NO_ROLES = _("Choose at least one role.")
ERROR_ALREADY_MEMBER = _("An account with this e-mail address already exists.")
ERROR_ALREADY_INVITED = _(
    "This address already has a pending invitation; resend or revoke it instead."
)
ERROR_NOT_PENDING = _("This invitation is no longer pending.")
ERROR_LINK_INVALID = _(
    "This invitation link is not valid: it was already used, revoked, replaced by a newer "
    "e-mail, or it has expired. Ask the person who invited you to send it again."
)
ERROR_NAMES_REQUIRED = _("Enter your family name and given name.")
ERROR_PASSWORDS_DIFFER = _("The two passwords differ.")
ERROR_CANNOT_DEACTIVATE_SELF = _("You cannot deactivate your own account.")
ERROR_NOT_ADMINISTRATOR = _("Only an administrator may do this.")

INVITERS = (Role.SECRETARIAT, Role.ADMINISTRATOR, Role.RECEPTION_STAFF)
COUNCIL = (Role.SECRETARIAT, Role.ADMINISTRATOR)


def _expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)


# --- Who may invite whom ----------------------------------------------------------------------


def invitable_organisations(actor: Any) -> QuerySet[Organisation]:
    """The organisations `actor` may invite people to."""
    if not isinstance(actor, User) or not actor.is_active:
        return Organisation.objects.none()
    if actor.has_role(*COUNCIL):
        return Organisation.objects.all()
    if actor.has_role(Role.RECEPTION_STAFF) and actor.organisation_id:
        body = actor.organisation_id
        return Organisation.objects.filter(
            Q(applications__reception_body_id=body) | Q(licences__reception_body_id=body),
            kind=OrganisationKind.APPLICANT,
        ).distinct()
    return Organisation.objects.none()


def invitable_roles(actor: Any) -> list[str]:
    if isinstance(actor, User) and actor.has_role(*COUNCIL):
        return list(Role.values)
    if isinstance(actor, User) and actor.has_role(Role.RECEPTION_STAFF):
        return [Role.APPLICANT.value]
    return []


def can_invite(actor: Any, organisation: Organisation, roles: Iterable[str]) -> bool:
    allowed = set(invitable_roles(actor))
    roles = list(roles)
    return (
        bool(roles)
        and set(roles) <= allowed
        and invitable_organisations(actor).filter(pk=organisation.pk).exists()
    )


def visible_invitations(actor: Any) -> QuerySet[Invitation]:
    """Invitations `actor` may see and manage: all for the council, else the ones they could
    have sent themselves (to the organisations they may invite to, with only the roles they
    may give), so reception staff cannot resend or revoke the council's invitation of, say,
    a secretariat member."""
    if isinstance(actor, User) and actor.has_role(*COUNCIL):
        return Invitation.objects.all()
    allowed = set(invitable_roles(actor))
    orgs = invitable_organisations(actor)
    listed = Invitation.objects.filter(organisation__in=orgs)
    outside = [pk for pk, roles in listed.values_list("pk", "roles") if not set(roles) <= allowed]
    return listed.exclude(pk__in=outside)


# --- Invitations ------------------------------------------------------------------------------


def accept_url(token: str) -> str:
    return settings.SITE_URL + reverse("people:accept", args=[token])


def _send(invitation: Invitation, token: str) -> None:
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "roles": invitation.roles,
        "url": accept_url(token),
        "days": settings.INVITATION_VALID_DAYS,
        "expires_at": timezone.localtime(invitation.expires_at),
    }
    send_bilingual(
        "people/email/invitation_subject.txt",
        "people/email/invitation.txt",
        context,
        to=invitation.email,
    )


def send_bilingual(
    subject_template: str,
    body_template: str,
    context: dict[str, Any],
    *,
    to: str,
    from_email: str | None = None,
) -> None:
    """One e-mail, Japanese first and English second (the person's language is not known: an
    invitation, a password reset); the subject template holds both languages itself."""
    with translation.override("ja"):
        subject = render_to_string(subject_template, context)
        body_ja = render_to_string(body_template, context)
    with translation.override("en"):
        body_en = render_to_string(body_template, context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=body_ja.strip() + "\n\n----------\n\n" + body_en.strip() + "\n",
        from_email=from_email,
        to=[to],
    ).send()


def account_exists(email: str) -> bool:
    """An account already has this address as its e-mail or its user name."""
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def has_pending_invitation(email: str, now: datetime.datetime | None = None) -> bool:
    """A pending invitation (not accepted, revoked or expired at `now`) goes to this address."""
    return Invitation.objects.filter(
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now or clock.now(),
    ).exists()


def _check_new(email: str, organisation: Organisation, roles: list[str]) -> None:
    if not roles:
        raise InvalidInput(ERROR_NO_ROLES, field="roles")
    if account_exists(email):
        raise InvalidInput(ERROR_ALREADY_MEMBER, field="email")
    if has_pending_invitation(email):
        raise WrongState(ERROR_ALREADY_INVITED, field="email")


def invite(
    *,
    actor: Any,
    email: str,
    organisation: Organisation,
    roles: Iterable[str],
    family_name: str = "",
    given_name: str = "",
) -> Invitation:
    """Invite `email` to `organisation` with `roles` and e-mail the link."""
    roles = sorted(set(roles))
    email = email.strip()
    if actor is not None and not can_invite(actor, organisation, roles):
        raise NotAllowed(ERROR_NOT_ALLOWED)
    with transaction.atomic():
        _check_new(email, organisation, roles)
        token = secrets.token_urlsafe(32)
        now = clock.now()
        invitation = Invitation.objects.create(
            email=email,
            organisation=organisation,
            roles=roles,
            family_name=family_name,
            given_name=given_name,
            token_hash=token_digest(token),
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
            sent_at=now,
            expires_at=_expiry(now),
        )
        audit(
            actor=actor,
            action="ssmark.invitation.sent",
            target=invitation,
            to_state=InvitationState.PENDING,
            data={"email": email, "organisation": organisation.pk, "roles": roles},
        )
        transaction.on_commit(lambda: _send(invitation, token))
    return invitation


def _manageable(actor: Any, invitation: Invitation) -> Invitation:
    if not visible_invitations(actor).filter(pk=invitation.pk).exists():
        raise NotAllowed(ERROR_NOT_ALLOWED)
    locked = Invitation.objects.select_for_update().select_related("organisation")
    return locked.get(pk=invitation.pk)


def resend(*, actor: Any, invitation: Invitation) -> Invitation:
    """A new link (the old one stops working) and a new expiry, e-mailed again. An expired
    invitation may be resent; an accepted or revoked one may not."""
    with transaction.atomic():
        inv = _manageable(actor, invitation)
        if inv.state() not in (InvitationState.PENDING, InvitationState.EXPIRED):
            raise WrongState(ERROR_NOT_PENDING)
        token = secrets.token_urlsafe(32)
        now = clock.now()
        inv.token_hash, inv.sent_at, inv.expires_at = token_digest(token), now, _expiry(now)
        inv.save(update_fields=["token_hash", "sent_at", "expires_at"])
        audit(actor=actor, action="ssmark.invitation.resent", target=inv, data={"email": inv.email})
        transaction.on_commit(lambda: _send(inv, token))
    return inv


def revoke(*, actor: Any, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        inv = _manageable(actor, invitation)
        state = inv.state()
        if state not in (InvitationState.PENDING, InvitationState.EXPIRED):
            raise WrongState(ERROR_NOT_PENDING)
        inv.revoked_at = clock.now()
        inv.save(update_fields=["revoked_at"])
        audit(
            actor=actor,
            action="ssmark.invitation.revoked",
            target=inv,
            from_state=state,
            to_state=InvitationState.REVOKED,
            data={"email": inv.email},
        )
    return inv


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation this link opens, or None (used, revoked, replaced, expired)."""
    inv = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if inv is None or inv.state() != InvitationState.PENDING:
        return None
    return inv


def accept(*, token: str, family_name: str, given_name: str, password: str) -> User:
    """Create the account the invitation names; the link is used up."""
    family_name, given_name = family_name.strip(), given_name.strip()
    if not family_name or not given_name:
        raise InvalidInput(ERROR_NAMES_REQUIRED, field="family_name")
    with transaction.atomic():
        inv = invitation_for_token(token)
        if inv is None:
            raise WrongState(ERROR_LINK_INVALID)
        inv = Invitation.objects.select_for_update().get(pk=inv.pk)
        if inv.state() != InvitationState.PENDING:
            raise WrongState(ERROR_LINK_INVALID)
        if User.objects.filter(username__iexact=inv.email).exists():
            raise InvalidInput(ERROR_ALREADY_MEMBER, field="email")
        user = User(
            username=inv.email,
            email=inv.email,
            last_name=family_name,
            first_name=given_name,
            organisation=inv.organisation,
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput(" ".join(exc.messages), field="password") from None
        user.set_password(password)
        user.save()
        UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in inv.roles])
        inv.accepted_at, inv.user = clock.now(), user
        inv.save(update_fields=["accepted_at", "user"])
        audit(
            actor=user,
            action="ssmark.invitation.accepted",
            target=inv,
            from_state=InvitationState.PENDING,
            to_state=InvitationState.ACCEPTED,
            data={"user": user.pk},
        )
        audit(actor=user, action="ssmark.user.joined", target=user, data={"invitation": inv.pk})
    return user


# --- Sessions ---------------------------------------------------------------------------------


def live_sessions(user: User) -> QuerySet[UserSession]:
    """The person's sessions that still work (expired or ended ones are left out)."""
    live = Session.objects.filter(expire_date__gt=clock.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live)


def end_session(*, user: User, session_id: int) -> bool:
    """End one of `user`'s own sessions; False if there is no such session of theirs."""
    record = UserSession.objects.filter(user=user, pk=session_id).first()
    if record is None:
        return False
    with transaction.atomic():
        Session.objects.filter(session_key=record.session_key).delete()
        record.delete()
        audit(actor=user, action="ssmark.user.session_ended", target=user)
    return True


def session_key_changed(old: str | None, new: str | None) -> None:
    """A session got a new key (Django's cycle_key, e.g. on a password change): its record
    follows, so the session stays listed and can still be ended."""
    if old and new and old != new:
        UserSession.objects.filter(session_key=old).update(session_key=new)


def end_other_sessions(user: User, *, keep: str | None) -> int:
    """End every session of `user` except `keep` (the current one); the number ended."""
    others = UserSession.objects.filter(user=user)
    if keep:
        others = others.exclude(session_key=keep)
    keys = list(others.values_list("session_key", flat=True))
    with transaction.atomic():
        Session.objects.filter(session_key__in=keys).delete()
        others.delete()
    return len(keys)


# --- Accounts ---------------------------------------------------------------------------------


def set_active(*, actor: Any, user: User, active: bool) -> User:
    """An administrator deactivates (or reactivates) an account: it cannot sign in any more,
    its sessions end; the account and everything it did stay (history is kept)."""
    if not (isinstance(actor, User) and actor.is_active and actor.has_role(Role.ADMINISTRATOR)):
        raise NotAllowed(ERROR_NOT_ADMINISTRATOR)
    if user.pk == actor.pk:
        raise WrongState(ERROR_CANNOT_DEACTIVATE_SELF)
    with transaction.atomic():
        target = User.objects.select_for_update().get(pk=user.pk)
        if target.is_active == active:
            return target
        target.is_active = active
        target.save(update_fields=["is_active"])
        if not active:
            end_other_sessions(target, keep=None)
        audit(
            actor=actor,
            action="ssmark.user.reactivated" if active else "ssmark.user.deactivated",
            target=target,
            from_state="inactive" if active else "active",
            to_state="active" if active else "inactive",
        )
    return target
