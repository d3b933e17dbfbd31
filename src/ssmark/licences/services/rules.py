"""Refusal messages, roles and the allowed status changes of licences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Role
from ssmark.applications.models import ApplicationStatus
from ssmark.core.refusals import NotAllowed
from ssmark.fees.services.blocking import FeeUnpaid

# The state tables live beside the model (licences/states.py); their names are kept here too.
from ..states import ERROR_ILLEGAL_STATUS as ERROR_ILLEGAL_STATUS
from ..states import ERROR_INCIDENT_CLOSED as ERROR_INCIDENT_CLOSED
from ..states import TRANSITIONS as TRANSITIONS
from ..states import LicenceError

COUNTER_NAME = "licence"

ERROR_NOT_ALLOWED = _("You are not allowed to do this.")
ERROR_NOT_APPROVED = _("Only an application the committee has approved can be given a licence.")
ERROR_ALREADY_ISSUED = _("A licence has already been issued for this application.")
ERROR_NO_LETTER = _("The reception body of this application has no licence-number letter.")
ERROR_RENEWAL_UNLINKED = _("This renewal application is not linked to a licence.")
ERROR_REVOKED = _("This licence has been revoked; it cannot be renewed.")
ERROR_REASON_REQUIRED = _("Give the reason.")
ERROR_GROUND_REQUIRED = _("Choose the ground from the scheme's rules.")
ERROR_RENEWAL_STATUS = _("Only an active or suspended licence can be renewed.")
ERROR_RENEWAL_TOO_EARLY = _("The renewal window for this licence opens on %(date)s.")
ERROR_RENEWAL_EXISTS = _("A renewal application for this licence is already in progress.")
ERROR_NO_CRITERIA_SET = _("No criteria set is in force for this scheme.")
ERROR_TEXT_REQUIRED = _("This field is required.")
ERROR_INCIDENT_DATE = _("The incident date cannot be in the future.")
# Refusals by the fee schedule's blocking rules (ssmark.fees.services.unpaid_blocks); `reasons`
# names the unpaid invoice(s).
ERROR_LICENCE_FEE_UNPAID = _("The licence cannot be issued until the fee is paid: %(reasons)s")
ERROR_RENEWAL_FEE_OVERDUE = _(
    "The renewal cannot be granted while a fee of the licence is overdue: %(reasons)s"
)

# Who may do what (roles of ssmark.accounts.models.Role).
ISSUERS = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)
COUNCIL = (Role.SECRETARIAT, Role.ADMINISTRATOR)  # suspend, revoke, reinstate
INVESTIGATORS = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)
OVERSEERS = (Role.COMMITTEE_MEMBER, Role.SECRETARIAT, Role.ADMINISTRATOR)

# Application states in which a renewal is no longer in progress.
ENDED_APPLICATION_STATES = frozenset(
    {
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.FIRST_REVIEW_REJECTED,
        ApplicationStatus.COMMITTEE_REJECTED,
        ApplicationStatus.APPROVED,
    }
)


class LicenceNotAllowed(LicenceError, NotAllowed):
    """The person may not do this to the licence (role or organisation)."""


class LicenceFeeUnpaid(LicenceError, FeeUnpaid):
    """issue_licence was refused because of an unpaid (or overdue) fee; `blocks` says which."""
