"""Refusals: `ApplicationError`, `StaleAnswer` and the user-facing messages (module constants
that tests assert on).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ssmark.core.refusals import Refusal

from ..models import ItemAnswer

ERROR_NOT_APPLICANT = _("Only a member of the applicant company can do this.")
ERROR_NOT_EDITABLE = _(
    "This application can no longer be changed: it is “%(status)s”. "
    "Answers can be changed only while it is a draft or returned for correction."
)
ERROR_NO_CRITERIA_SET = _("No criteria set is in force for this scheme today.")
ERROR_NOT_RECEPTION_BODY = _("Choose one of the reception bodies.")
ERROR_SERVICE_NAME = _("Enter the name of the service.")
ERROR_UNKNOWN_ITEM = _("Item %(code)s is not part of this application's criteria set.")
ERROR_CLAIM_REQUIRED = _("Choose “met” or “not met” for item %(code)s.")
ERROR_GRADE_REQUIRED = _("Choose a grade from %(min)s to %(max)s for item %(code)s.")
ERROR_GRADED_AT_REVIEW = _(
    "Item %(code)s is graded by the reviewer: describe what you do, without a grade."
)
ERROR_STALE_ANSWER = _(
    "Item %(code)s was changed by %(user)s in the meantime. "
    "Their version is shown now; check it and save again."
)
ERROR_SCAN_BLOCKING = _(
    "Item %(code)s cannot be claimed as met: the vulnerability diagnosis does not pass yet "
    "(%(reason)s)."
)
ERROR_AUDIT_INCOMPLETE = _(
    "Item %(code)s cannot be claimed as met: the audits of the last %(months)s months must "
    "cover every audit item, and these are not covered: %(missing)s."
)
ERROR_FILE_TOO_LARGE = _("“%(name)s” is larger than the limit of %(limit)s MB.")
ERROR_QUOTA_REACHED = _(
    "“%(name)s” was not added: the files of this application would exceed its storage quota "
    "of %(quota)s MB (%(used)s MB used now). Remove files that are no longer needed first."
)
ERROR_FILE_TYPE = _(
    "“%(name)s” was refused: it is really %(what)s. Accepted are PDF, PNG, JPEG, GIF, WebP, "
    "Word, Excel and PowerPoint files."
)
ERROR_NO_FILE = _("Choose a file to upload.")
ERROR_URL_SCHEME = _("Enter a web address starting with http:// or https://.")
ERROR_URL_NOT_ASKED = _("Item %(code)s does not ask for a web address.")
ERROR_NOT_SIGNED_ITEM = _("Item %(code)s does not ask for a signed declaration.")
ERROR_SIGNER_NAME = _("Enter the name of the person who signed and sealed the declaration.")
ERROR_DECLARATION_TEXT = _("Enter the text of the declaration.")
ERROR_EVIDENCE_NOT_HERE = _("This evidence does not belong to this application.")
ERROR_SCAN_UNREADABLE = _("The scan report “%(name)s” could not be read: %(problem)s")
ERROR_NOT_SCAN_ITEM = _("This criteria set has no vulnerability-diagnosis item.")
ERROR_HOST_ROLE = _("Unknown host role “%(role)s”.")
ERROR_HOST_UNKNOWN = _("Host %(host)s is not in any uploaded scan report.")
ERROR_AUDIT_FIELDS = _("Enter the audit date and the auditor.")
ERROR_AUDIT_FUTURE = _("The audit date cannot be in the future.")
ERROR_AUDIT_CODE = _("Unknown audit item “%(code)s”.")
ERROR_AUDIT_NONE_COVERED = _("Tick the audit items this audit covered.")
ERROR_AUDITOR_KIND = _("Choose internal or external audit.")
ERROR_INCIDENT_KIND = _("Choose the kind of incident.")
ERROR_INCIDENT_FIELDS = _("Enter the date, what happened and the measures taken.")
ERROR_INCIDENT_DATE = _("Declare incidents of the year before applying: from %(start)s to %(end)s.")
ERROR_INCIDENTS_LISTED = _(
    "You have listed incidents; remove them before declaring that there were none."
)
ERROR_INCIDENTS_NOT_DECLARED = _(
    "Declare the incidents of the year before applying (or that there were none) before submitting."
)


class ApplicationError(Refusal):
    """A refused request: `message` is one of the ERROR_ constants (lazy), `params` fill it in,
    `text` (or str(error)) is what the person reads."""

    default_code = "application_refused"

    def __init__(self, message: str | Promise, **params: Any) -> None:
        super().__init__(message, params)


class StaleAnswer(ApplicationError):
    """Someone else saved the item since the form was loaded; `current` is their version."""

    def __init__(self, current: ItemAnswer, code: str) -> None:
        who = "?"
        if current.updated_by is not None:
            who = current.updated_by.display_name
        super().__init__(ERROR_STALE_ANSWER, code=code, user=who)
        self.current = current
