"""The applicant's workflows: create, self-assess with evidence, scans, audits, incidents, submit.

Every function is keyword-only, checks the actor (an applicant member of the application's
organisation) and the application's state (answers can change only in EDITABLE_STATES),
changes inside one transaction that first locks the application row (so a submit cannot
interleave with an edit), writes the audit trail and, for submit/withdraw, sends the domain
event. Refusals raise `ApplicationError` whose message is one of the constants below.

The workflows live in modules by concern; every name is re-exported here, so callers import
from `ssmark.applications.services` as before:

- `errors`: ApplicationError, StaleAnswer and the ERROR_ message constants
- `common`: the shared checks (actor, editable-state row lock, item)
- `files`: storing checked uploads, removing them when a service fails, releasing them
- `creation`: create_application (with a renewal's carry-over) and update_contacts
- `answers`: save_answer
- `evidence`: files, web addresses and signed declarations for an item
- `scans`: item 2-1-1 scan reports, host roles and finding statements
- `audits`: item 1-1-2 audits
- `incidents`: the incident declaration of the year before applying
- `submission`: snapshot, changed_items, submit and withdraw
"""

from __future__ import annotations

# Sibling modules the single services.py module exposed (tests reach `services.assessment`).
from .. import assessment as assessment
from .. import sniff as sniff
from .answers import save_answer
from .audits import record_audit, remove_audit
from .common import _answer_for as _answer_for
from .common import _item as _item
from .common import _lock_editable as _lock_editable
from .common import _require_applicant as _require_applicant
from .common import _touch as _touch
from .creation import _carries as _carries
from .creation import _carry_audits_over as _carry_audits_over
from .creation import _carry_over as _carry_over
from .creation import _same_file as _same_file
from .creation import create_application, update_contacts
from .errors import (
    ERROR_AUDIT_CODE,
    ERROR_AUDIT_FIELDS,
    ERROR_AUDIT_FUTURE,
    ERROR_AUDIT_INCOMPLETE,
    ERROR_AUDIT_NONE_COVERED,
    ERROR_AUDITOR_KIND,
    ERROR_CLAIM_REQUIRED,
    ERROR_DECLARATION_TEXT,
    ERROR_EVIDENCE_NOT_HERE,
    ERROR_FILE_TOO_LARGE,
    ERROR_FILE_TYPE,
    ERROR_GRADE_REQUIRED,
    ERROR_GRADED_AT_REVIEW,
    ERROR_HOST_ROLE,
    ERROR_HOST_UNKNOWN,
    ERROR_INCIDENT_DATE,
    ERROR_INCIDENT_FIELDS,
    ERROR_INCIDENT_KIND,
    ERROR_INCIDENTS_LISTED,
    ERROR_INCIDENTS_NOT_DECLARED,
    ERROR_NO_CRITERIA_SET,
    ERROR_NO_FILE,
    ERROR_NOT_APPLICANT,
    ERROR_NOT_EDITABLE,
    ERROR_NOT_RECEPTION_BODY,
    ERROR_NOT_SCAN_ITEM,
    ERROR_NOT_SIGNED_ITEM,
    ERROR_SCAN_BLOCKING,
    ERROR_SCAN_UNREADABLE,
    ERROR_SERVICE_NAME,
    ERROR_SIGNER_NAME,
    ERROR_STALE_ANSWER,
    ERROR_UNKNOWN_ITEM,
    ERROR_URL_NOT_ASKED,
    ERROR_URL_SCHEME,
    ApplicationError,
    StaleAnswer,
)
from .evidence import (
    add_file_evidence,
    add_signed_declaration,
    add_url_evidence,
    check_web_address,
    remove_evidence,
)
from .files import P as P
from .files import R as R
from .files import _file_fields as _file_fields
from .files import _guarded as _guarded
from .files import _release as _release
from .files import _remember as _remember
from .files import _store_checked_file as _store_checked_file
from .files import _stored_in_call as _stored_in_call
from .incidents import (
    declare_incident,
    declare_no_incidents,
    incident_window,
    incidents_declared,
    remove_incident,
)
from .scans import (
    add_finding_statement,
    add_finding_statements,
    check_opinions_complete,
    remove_scan_report,
    report_problem,
    set_host_roles,
    upload_scan_report,
)
from .submission import changed_items, snapshot, submit, withdraw

__all__ = [
    "ERROR_AUDITOR_KIND",
    "ERROR_AUDIT_CODE",
    "ERROR_AUDIT_FIELDS",
    "ERROR_AUDIT_FUTURE",
    "ERROR_AUDIT_INCOMPLETE",
    "ERROR_AUDIT_NONE_COVERED",
    "ERROR_CLAIM_REQUIRED",
    "ERROR_DECLARATION_TEXT",
    "ERROR_EVIDENCE_NOT_HERE",
    "ERROR_FILE_TOO_LARGE",
    "ERROR_FILE_TYPE",
    "ERROR_GRADED_AT_REVIEW",
    "ERROR_GRADE_REQUIRED",
    "ERROR_HOST_ROLE",
    "ERROR_HOST_UNKNOWN",
    "ERROR_INCIDENTS_LISTED",
    "ERROR_INCIDENTS_NOT_DECLARED",
    "ERROR_INCIDENT_DATE",
    "ERROR_INCIDENT_FIELDS",
    "ERROR_INCIDENT_KIND",
    "ERROR_NOT_APPLICANT",
    "ERROR_NOT_EDITABLE",
    "ERROR_NOT_RECEPTION_BODY",
    "ERROR_NOT_SCAN_ITEM",
    "ERROR_NOT_SIGNED_ITEM",
    "ERROR_NO_CRITERIA_SET",
    "ERROR_NO_FILE",
    "ERROR_SCAN_BLOCKING",
    "ERROR_SCAN_UNREADABLE",
    "ERROR_SERVICE_NAME",
    "ERROR_SIGNER_NAME",
    "ERROR_STALE_ANSWER",
    "ERROR_UNKNOWN_ITEM",
    "ERROR_URL_NOT_ASKED",
    "ERROR_URL_SCHEME",
    "ApplicationError",
    "StaleAnswer",
    "add_file_evidence",
    "add_finding_statement",
    "add_finding_statements",
    "add_signed_declaration",
    "add_url_evidence",
    "changed_items",
    "check_opinions_complete",
    "check_web_address",
    "create_application",
    "declare_incident",
    "declare_no_incidents",
    "incident_window",
    "incidents_declared",
    "record_audit",
    "remove_audit",
    "remove_evidence",
    "remove_incident",
    "remove_scan_report",
    "report_problem",
    "save_answer",
    "set_host_roles",
    "snapshot",
    "submit",
    "update_contacts",
    "upload_scan_report",
    "withdraw",
]
