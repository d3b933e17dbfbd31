"""The texts of notifications: English msgids, Japanese in this app's django.po.

Each notification is written in Japanese with the English below it, whatever the language of
the request that caused it, by rendering the same message once under each language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The languages a person may choose; "" means "both" (Japanese first).
LANGUAGES = ("ja", "en")

PREFIX = _("[Safe/Secure Mark]")
REASON = _("Reason: %(reason)s")
OPEN_IN_APP = _("Open in the system:")
AUTOMATIC = _("This message was sent automatically by the Safe/Secure Mark system.")


@dataclass(frozen=True)
class Message:
    subject: Promise
    body: Promise


MESSAGES: dict[str, Message] = {
    "submission_received": Message(
        _("Application received: %(service)s"),
        _(
            "%(body)s has received the %(review_type)s application for “%(service)s”, submitted "
            "on %(date)s. The first review follows; you can follow its progress in the system."
        ),
    ),
    "resubmission_received": Message(
        _("Corrected application received: %(service)s"),
        _(
            "%(body)s has received the corrected application for “%(service)s”, resubmitted on "
            "%(date)s. The first review continues."
        ),
    ),
    "submission_for_reception": Message(
        _("New application to review: %(service)s (%(company)s)"),
        _(
            "%(company)s has submitted the %(review_type)s application for “%(service)s” on "
            "%(date)s. Please start the first review."
        ),
    ),
    "resubmission_for_reception": Message(
        _("Corrected application to review: %(service)s (%(company)s)"),
        _(
            "%(company)s has resubmitted the corrected application for “%(service)s” on "
            "%(date)s. Please continue the first review."
        ),
    ),
    "application_returned": Message(
        _("Returned for correction: %(service)s"),
        _(
            "The first review has returned the application for “%(service)s” for correction, "
            "with %(count)s comment(s). Please correct it and submit it again."
        ),
    ),
    "first_review_passed": Message(
        _("First review passed: %(service)s"),
        _(
            "The application for “%(service)s” has passed the first review. The review "
            "committee decides on it at its next session."
        ),
    ),
    "first_review_passed_secretariat": Message(
        _("Ready for the committee: %(service)s (%(company)s)"),
        _(
            "The application of %(company)s for “%(service)s” has passed the first review at "
            "%(body)s and goes to the next session of the review committee."
        ),
    ),
    "first_review_failed": Message(
        _("First review result: %(service)s"),
        _("The application for “%(service)s” did not pass the first review."),
    ),
    "committee_approved": Message(
        _("Committee decision (approved): %(service)s"),
        _(
            "The review committee has approved the application for “%(service)s”. The pass "
            "notice and the mark usage licence follow."
        ),
    ),
    "committee_rejected": Message(
        _("Committee decision (not approved): %(service)s"),
        _("The review committee has not approved the application for “%(service)s”."),
    ),
    "committee_deferred": Message(
        _("Committee decision (deferred): %(service)s"),
        _(
            "The review committee has deferred its decision on the application for "
            "“%(service)s” to a later session."
        ),
    ),
    "pass_notice": Message(
        _("Pass notice: mark usage licence %(number)s"),
        _(
            "The application for “%(service)s” has passed the review. Mark usage licence "
            "number: %(number)s, valid from %(valid_from)s until %(valid_until)s. When the pass "
            "notice arrives, confirm receiving it on the licence's page that day: the annual "
            "mark usage fee is due within one month of the day it is received. Without a "
            "confirmation, the notice counts as received on %(received)s."
        ),
    ),
    "renewal_granted": Message(
        _("Renewal granted: mark usage licence %(number)s"),
        _(
            "The renewal of mark usage licence %(number)s (“%(service)s”) has been granted; "
            "it is now valid until %(valid_until)s."
        ),
    ),
    "invoice_issued": Message(
        _("Invoice %(number)s: %(fee)s"),
        _(
            "%(issuer)s has issued invoice %(number)s for the %(fee)s: %(total)s yen "
            "(consumption tax included), due by %(due)s. You can download it as a PDF in the "
            "system."
        ),
    ),
    "credit_note_issued": Message(
        _("Credit note %(number)s (cancels invoice %(original)s)"),
        _(
            "%(issuer)s has issued credit note %(number)s, which cancels invoice %(original)s "
            "(%(total)s yen)."
        ),
    ),
    "payment_overdue": Message(
        _("Payment overdue: invoice %(number)s"),
        _(
            "Invoice %(number)s for the %(fee)s was due on %(due)s, and %(outstanding)s yen of "
            "it is still unpaid. Please pay it, or contact %(issuer)s if you already have."
        ),
    ),
    "payment_overdue_staff": Message(
        _("Payment overdue: invoice %(number)s (%(company)s)"),
        _(
            "Invoice %(number)s to %(company)s for the %(fee)s was due on %(due)s; "
            "%(outstanding)s yen is still unpaid."
        ),
    ),
    "renewal_window_open": Message(
        _("Renewal window open: licence %(number)s"),
        _(
            "You may now apply for the renewal of mark usage licence %(number)s "
            "(“%(service)s”). The window opened on %(opens)s; apply by %(deadline)s. The "
            "licence is valid until %(valid_until)s."
        ),
    ),
    "renewal_deadline_near": Message(
        _("Renewal deadline approaching: licence %(number)s"),
        _(
            "The deadline to apply for the renewal of mark usage licence %(number)s "
            "(“%(service)s”) is %(deadline)s. Without a renewal the licence ends after "
            "%(valid_until)s."
        ),
    ),
    "licence_lapsed": Message(
        _("Licence %(number)s has lapsed"),
        _(
            "Mark usage licence %(number)s (“%(service)s”) has lapsed. The mark shows as not "
            "valid; please remove it from your pages."
        ),
    ),
    "licence_suspended": Message(
        _("Licence %(number)s is suspended"),
        _(
            "Mark usage licence %(number)s (“%(service)s”) is suspended. The mark shows as not "
            "valid until the suspension is lifted."
        ),
    ),
    "licence_revoked": Message(
        _("Licence %(number)s has been revoked"),
        _(
            "Mark usage licence %(number)s (“%(service)s”) has been revoked. Please remove the "
            "mark from your pages."
        ),
    ),
    "incident_recommendation": Message(
        _("Recommendation on an incident: licence %(number)s"),
        _(
            "The council has issued a recommendation on the incident reported for mark usage "
            "licence %(number)s (“%(service)s”):\n\n%(recommendation)s\n\nPlease report the "
            "measures taken. A recommendation ignored without good reason may lead to the "
            "revocation of the licence."
        ),
    ),
    "application_withdrawn": Message(
        _("Application withdrawn: %(service)s (%(company)s)"),
        _("%(company)s has withdrawn the application for “%(service)s”."),
    ),
}


def _text(template: Promise, context: Mapping[str, Any]) -> str:
    values = {key: str(value) for key, value in context.items()}
    return str(template) % values


def render(
    message_id: str, context: Mapping[str, Any], reason: str = "", language: str = ""
) -> tuple[str, str]:
    """(subject, body) in `language` ("ja" or "en": a person's own language); without one
    (an address with no account behind it), Japanese first, then English. Lazy values in
    `context` (labels) are translated in each language."""
    message = MESSAGES[message_id]
    parts: dict[str, tuple[str, str]] = {}
    for each in (language,) if language in LANGUAGES else LANGUAGES:
        with translation.override(each):
            body = _text(message.body, context)
            if reason:
                body += "\n" + str(REASON) % {"reason": reason}
            parts[each] = (_text(message.subject, context), body)
    if language in LANGUAGES:
        with translation.override(language):
            prefix = str(PREFIX)
        subject, body = parts[language]
        return " ".join(f"{prefix}{subject}".split())[:300], body
    return compose(parts["ja"], parts["en"])


def in_languages(text: Promise, language: str = "", joiner: str = " / ") -> str:
    """A fixed text (an e-mail footer) in `language`, or in Japanese and English."""
    texts = []
    for each in (language,) if language in LANGUAGES else LANGUAGES:
        with translation.override(each):
            texts.append(str(text))
    return joiner.join(texts)


def compose(ja: tuple[str, str], en: tuple[str, str]) -> tuple[str, str]:
    with translation.override("ja"):
        prefix = str(PREFIX)
    subject = f"{prefix}{ja[0]} / {en[0]}"
    subject = " ".join(subject.split())[:300]
    body = f"{ja[1]}\n\n----- English -----\n\n{en[1]}"
    return subject, body
