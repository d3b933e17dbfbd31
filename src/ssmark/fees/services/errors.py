"""The fees services' exception and its messages (payments and corrections)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ssmark.core.refusals import Refusal

ERROR_NOT_ALLOWED = _("You may not do this for this invoice.")
ERROR_AMOUNT_POSITIVE = _("The amount must be more than zero.")
ERROR_OVERPAYMENT = _(
    "This payment of %(amount)s yen is more than the %(outstanding)s yen still owed on this "
    "invoice; it was not recorded."
)
ERROR_NOTHING_OWED = _("Nothing is owed on this invoice.")
ERROR_CREDIT_NOTE_PAYMENT = _("Payments are recorded on invoices, not on credit notes.")
ERROR_FUTURE_PAYMENT = _("A payment cannot be dated in the future.")
ERROR_ALREADY_CANCELLED = _("This invoice has already been cancelled by a credit note.")
ERROR_HAS_PAYMENTS = _(
    "Payments are recorded on this invoice, so it cannot be cancelled by a credit note."
)
ERROR_CORRECT_CREDIT_NOTE = _("A credit note cannot itself be corrected.")
ERROR_REASON_REQUIRED = _("Give the reason for the correction.")
ERROR_REVIEW_FEE_NOT_NOW = _(
    "The review fee is requested before the application is submitted; this application has "
    "been submitted already."
)


class FeesError(Refusal):
    """A fees rule refused the request; the message is one of the ERROR_ constants."""

    default_code = "fees_refused"
