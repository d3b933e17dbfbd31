"""Receivers of the domain events (ssmark.core.events) and the fees signals: each writes the
notifications for one event, to the right people, inside the sender's transaction. No e-mail
is sent here; `ssmark send_notifications` delivers them."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import NoReverseMatch, reverse

from ssmark.accounts.models import Role
from ssmark.applications.models import Application
from ssmark.catalog.models import ReviewType
from ssmark.core import clock
from ssmark.fees.models import DocumentType, FeeKind, Invoice
from ssmark.licences.models import Licence

from .models import NotificationKind as K
from .services import (
    Recipient,
    members,
    notify_message,
    recipients,
    unique_suffix,
    users_with_role,
)


def link(name: str, *args: Any, fallback: str = "") -> str:
    """The path of a named URL; the fallback's (or nothing) if the other app has not got it."""
    for candidate, candidate_args in ((name, args), (fallback, ())):
        if not candidate:
            continue
        try:
            return reverse(candidate, args=candidate_args)
        except NoReverseMatch:
            continue
    return ""


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else "-"


def applicant_side(application: Application) -> list[Recipient]:
    """The applicant company's members and the application's contacts."""
    return recipients(
        members(application.organisation),
        [application.responsible_manager_email, application.pim_manager_email],
    )


def holder_side(licence: Licence, *, security: bool = False) -> list[Recipient]:
    """The licence holder's members, the contacts of its latest application and, for security
    matters, the holder's security contact."""
    emails = []
    if licence.application is not None:
        emails += [licence.application.responsible_manager_email]
    if security:
        emails += [licence.organisation.security_contact_email]
    return recipients(members(licence.organisation), emails)


def reception_staff(application: Application) -> list[Recipient]:
    return recipients(members(application.reception_body, Role.RECEPTION_STAFF))


def _application_context(application: Application) -> dict[str, Any]:
    return {
        "service": application.service_name,
        "company": application.organisation.name,
        "body": application.reception_body.name,
        "review_type": ReviewType(application.review_type).label,
        "date": _date(application.submitted_on),
    }


def _application_link(application: Application) -> str:
    return link("applications:detail", application.pk, fallback="applications:list")


def on_application_submitted(
    sender: Any, *, application: Application, resubmission: bool = False, **kwargs: Any
) -> None:
    context = _application_context(application)
    event = (
        f"submitted:{application.pk}:{unique_suffix()}"
        if resubmission
        else f"submitted:{application.pk}"
    )
    prefix = "resubmission" if resubmission else "submission"
    notify_message(
        kind=K.SUBMISSION_RECEIVED,
        message_id=f"{prefix}_received",
        event_key=event,
        to=applicant_side(application),
        context=context,
        link=_application_link(application),
    )
    notify_message(
        kind=K.SUBMISSION_FOR_RECEPTION,
        message_id=f"{prefix}_for_reception",
        event_key=event,
        to=reception_staff(application),
        context=context,
        link=link("reviews:queue", fallback="applications:list"),
    )


def on_application_returned(
    sender: Any, *, application: Application, comments: dict[str, str] | None = None, **kwargs: Any
) -> None:
    notify_message(
        kind=K.APPLICATION_RETURNED,
        message_id="application_returned",
        event_key=f"returned:{application.pk}:{unique_suffix()}",
        to=applicant_side(application),
        context={**_application_context(application), "count": len(comments or {})},
        link=_application_link(application),
    )


def on_first_review_decided(
    sender: Any, *, application: Application, passed: bool, reason: str = "", **kwargs: Any
) -> None:
    event = f"first_review:{application.pk}:{unique_suffix()}"
    context = _application_context(application)
    notify_message(
        kind=K.FIRST_REVIEW_DECIDED,
        message_id="first_review_passed" if passed else "first_review_failed",
        event_key=event,
        to=applicant_side(application),
        context=context,
        link=_application_link(application),
        reason="" if passed else reason,
    )
    if passed:
        notify_message(
            kind=K.FIRST_REVIEW_DECIDED,
            message_id="first_review_passed_secretariat",
            event_key=event,
            to=recipients(users_with_role(Role.SECRETARIAT)),
            context=context,
            link=link("committee:sessions"),
        )


def on_committee_decided(
    sender: Any, *, application: Application, decision: str, reason: str = "", **kwargs: Any
) -> None:
    message_id = {
        "approved": "committee_approved",
        "rejected": "committee_rejected",
        "deferred": "committee_deferred",
    }.get(decision)
    if message_id is None:
        return
    notify_message(
        kind=K.COMMITTEE_DECIDED,
        message_id=message_id,
        event_key=f"committee:{application.pk}:{unique_suffix()}",
        to=applicant_side(application) + reception_staff(application),
        context=_application_context(application),
        link=_application_link(application),
        reason="" if decision == "approved" else reason,
    )


def _licence_context(licence: Licence) -> dict[str, Any]:
    return {
        "number": licence.number,
        "service": licence.service_name,
        "company": licence.organisation.name,
        "valid_from": _date(licence.valid_from),
        "valid_until": _date(licence.valid_until),
    }


def _licence_link(licence: Licence) -> str:
    return link("licences:detail", licence.number, fallback="licences:mine")


def on_licence_issued(
    sender: Any,
    *,
    licence: Licence,
    application: Application | None = None,
    notice_received_on: datetime.date | None = None,
    **kwargs: Any,
) -> None:
    application = application or licence.application
    renewal = application is not None and application.review_type == ReviewType.RENEWAL
    to = applicant_side(application) if application is not None else holder_side(licence)
    notify_message(
        kind=K.PASS_NOTICE,
        message_id="renewal_granted" if renewal else "pass_notice",
        event_key=f"licence_issued:{licence.pk}:{application.pk if application else 0}",
        to=to,
        context={**_licence_context(licence), "received": _date(notice_received_on)},
        link=_licence_link(licence),
    )


STATUS_MESSAGES = {
    "lapsed": (K.LICENCE_LAPSED, "licence_lapsed"),
    "suspended": (K.LICENCE_SUSPENDED, "licence_suspended"),
    "revoked": (K.LICENCE_REVOKED, "licence_revoked"),
}


def on_licence_status_changed(
    sender: Any, *, licence: Licence, to_status: str, reason: str = "", **kwargs: Any
) -> None:
    if to_status not in STATUS_MESSAGES:
        return
    kind, message_id = STATUS_MESSAGES[to_status]
    notify_message(
        kind=kind,
        message_id=message_id,
        event_key=f"licence_status:{licence.pk}:{to_status}:{unique_suffix()}",
        to=holder_side(licence, security=True),
        context=_licence_context(licence),
        link=_licence_link(licence),
        reason=reason,
    )


def on_renewal_reminder_due(
    sender: Any,
    *,
    licence: Licence,
    window_opens: datetime.date,
    deadline: datetime.date,
    kind: str,
    **kwargs: Any,
) -> None:
    # Keyed by licence, reminder kind, deadline and day: the same reminder sent again the same
    # day does not notify twice; the 60/30/7-day reminders (same kind, other days) each do.
    is_open = kind == "window_open"
    notify_message(
        kind=K.RENEWAL_WINDOW_OPEN if is_open else K.RENEWAL_DEADLINE_NEAR,
        message_id="renewal_window_open" if is_open else "renewal_deadline_near",
        event_key=f"renewal:{licence.pk}:{kind}:{deadline.isoformat()}:{clock.today().isoformat()}",
        to=holder_side(licence),
        context={
            **_licence_context(licence),
            "opens": _date(window_opens),
            "deadline": _date(deadline),
        },
        link=_licence_link(licence),
    )


def on_incident_recommendation_issued(
    sender: Any, *, licence: Licence, incident: Any = None, recommendation: str = "", **kwargs: Any
) -> None:
    notify_message(
        kind=K.INCIDENT_RECOMMENDATION,
        message_id="incident_recommendation",
        event_key=f"incident:{licence.pk}:{getattr(incident, 'pk', 0)}:{unique_suffix()}",
        to=holder_side(licence, security=True),
        context={**_licence_context(licence), "recommendation": recommendation},
        link=_licence_link(licence),
    )


def on_application_withdrawn(sender: Any, *, application: Application, **kwargs: Any) -> None:
    notify_message(
        kind=K.APPLICATION_WITHDRAWN,
        message_id="application_withdrawn",
        event_key=f"withdrawn:{application.pk}",
        to=reception_staff(application),
        context=_application_context(application),
        link=_application_link(application),
    )


# --- fees ------------------------------------------------------------------------------------


def _invoice_context(invoice: Invoice) -> dict[str, Any]:
    return {
        "number": invoice.number,
        "fee": FeeKind(invoice.fee_kind).label,
        "issuer": invoice.issuer_name,
        "company": invoice.addressee_name,
        "total": f"{abs(invoice.total):,}",
        "due": _date(invoice.due_on),
        "original": invoice.corrects.number if invoice.corrects else "",
    }


def invoice_recipients(invoice: Invoice) -> list[Recipient]:
    """The addressee's members, and the responsible manager of the application billed."""
    emails = []
    application = invoice.application or (invoice.licence.application if invoice.licence else None)
    if application is not None and application.organisation_id == invoice.addressee_id:
        emails.append(application.responsible_manager_email)
    return recipients(members(invoice.addressee), emails)


def on_invoice_issued(sender: Any, *, invoice: Invoice, **kwargs: Any) -> None:
    credit = invoice.document_type == DocumentType.CREDIT_NOTE
    notify_message(
        kind=K.INVOICE_ISSUED,
        message_id="credit_note_issued" if credit else "invoice_issued",
        event_key=f"invoice:{invoice.pk}",
        to=invoice_recipients(invoice),
        context=_invoice_context(invoice),
        link=link("fees:invoice", invoice.pk),
        reason=invoice.note if credit else "",
    )


def on_invoice_overdue(sender: Any, *, invoice: Invoice, **kwargs: Any) -> None:
    from ssmark.fees.services import balance

    context = {**_invoice_context(invoice), "outstanding": f"{balance(invoice).outstanding:,}"}
    notify_message(
        kind=K.PAYMENT_OVERDUE,
        message_id="payment_overdue",
        event_key=f"overdue:{invoice.pk}",
        to=invoice_recipients(invoice),
        context=context,
        link=link("fees:invoice", invoice.pk),
    )
    notify_message(
        kind=K.PAYMENT_OVERDUE,
        message_id="payment_overdue_staff",
        event_key=f"overdue:{invoice.pk}",
        to=recipients(members(invoice.issuer, Role.RECEPTION_STAFF)),
        context=context,
        link=link("fees:invoice", invoice.pk),
    )
