"""Licence workflows: issue and renew, start a renewal, status changes, the daily job, incidents.

Every function here checks the actor's role and the licence's state, changes inside
`transaction.atomic()`, writes an audit entry and sends the matching `ssmark.core.events`
signal (inside the transaction, so fees and notifications commit or roll back with it).

Licence numbers: the reception body's letter (J = JAIPA, T = TELESA, D = TCA) and the next value
of ONE counter shared by all bodies, zero-padded to 4 digits (scheme.yaml). One counter rather
than one per body because the scheme publishes one list "in licence-number order" (seed 002
numbers it 1–112 without letters): ordering by the digits is grant order across the bodies, and
no two licences share digits (J0072 and T0072 cannot both exist). The counter row is locked
(SELECT … FOR UPDATE; on SQLite the IMMEDIATE write transaction serialises writers) for the
transaction that creates the licence, so two approvals at the same moment get consecutive
numbers, a rolled-back approval leaves no gap, and a number is never handed out twice.

The workflows live in modules by concern; every name is re-exported here, so callers import
from `ssmark.licences.services` as before:

- `rules`: LicenceError, the ERROR_ messages, the roles and the allowed status changes
- `access`: who may see and manage licences; the unpaid-fee rules (fee_blocks)
- `issue`: licence numbers, issue_licence (new licence or renewal)
- `renewal`: starting a renewal application, a renewal that ended
- `status`: suspend, revoke, reinstate
- `daily`: the daily job (lapse, reminders) and the late-renewal list
- `incidents`: incident reports, investigations, recommendations
"""

from __future__ import annotations

from .access import can_manage_status, can_view, fee_blocks, is_holder, visible_licences
from .daily import (
    LAPSE_REASON,
    DailyReport,
    LateRenewal,
    lapse_expired,
    late_renewals,
    run_daily,
    send_reminders,
)
from .incidents import (
    can_see_incident,
    can_see_incidents_of,
    close_incident,
    issue_recommendation,
    record_investigation,
    report_incident,
    respond_to_recommendation,
)
from .issue import _next_serial as _next_serial
from .issue import bump_counter_to, create_licence, format_number, issue_licence
from .receipt import confirm_notice_receipt, fix_deemed_receipts, notice_to_confirm, receipt_open
from .renewal import (
    can_start_renewal,
    current_criteria_set,
    open_renewal,
    renewal_dates,
    renewal_ended,
    start_renewal,
)
from .rules import (
    COUNCIL,
    COUNTER_NAME,
    ENDED_APPLICATION_STATES,
    ERROR_ALREADY_ISSUED,
    ERROR_GROUND_REQUIRED,
    ERROR_ILLEGAL_STATUS,
    ERROR_INCIDENT_CLOSED,
    ERROR_INCIDENT_DATE,
    ERROR_LICENCE_FEE_UNPAID,
    ERROR_NO_CRITERIA_SET,
    ERROR_NO_LETTER,
    ERROR_NOT_ALLOWED,
    ERROR_NOT_APPROVED,
    ERROR_REASON_REQUIRED,
    ERROR_RENEWAL_EXISTS,
    ERROR_RENEWAL_FEE_OVERDUE,
    ERROR_RENEWAL_STATUS,
    ERROR_RENEWAL_TOO_EARLY,
    ERROR_RENEWAL_UNLINKED,
    ERROR_REVOKED,
    ERROR_TEXT_REQUIRED,
    INVESTIGATORS,
    ISSUERS,
    OVERSEERS,
    TRANSITIONS,
    LicenceError,
    LicenceFeeUnpaid,
    LicenceNotAllowed,
)
from .status import reinstate_licence, revoke_licence, suspend_licence

__all__ = [
    "COUNCIL",
    "COUNTER_NAME",
    "ENDED_APPLICATION_STATES",
    "ERROR_ALREADY_ISSUED",
    "ERROR_GROUND_REQUIRED",
    "ERROR_ILLEGAL_STATUS",
    "ERROR_INCIDENT_CLOSED",
    "ERROR_INCIDENT_DATE",
    "ERROR_LICENCE_FEE_UNPAID",
    "ERROR_NOT_ALLOWED",
    "ERROR_NOT_APPROVED",
    "ERROR_NO_CRITERIA_SET",
    "ERROR_NO_LETTER",
    "ERROR_REASON_REQUIRED",
    "ERROR_RENEWAL_EXISTS",
    "ERROR_RENEWAL_FEE_OVERDUE",
    "ERROR_RENEWAL_STATUS",
    "ERROR_RENEWAL_TOO_EARLY",
    "ERROR_RENEWAL_UNLINKED",
    "ERROR_REVOKED",
    "ERROR_TEXT_REQUIRED",
    "INVESTIGATORS",
    "ISSUERS",
    "LAPSE_REASON",
    "OVERSEERS",
    "TRANSITIONS",
    "DailyReport",
    "LateRenewal",
    "LicenceError",
    "LicenceFeeUnpaid",
    "LicenceNotAllowed",
    "bump_counter_to",
    "can_manage_status",
    "can_see_incident",
    "can_see_incidents_of",
    "can_start_renewal",
    "can_view",
    "close_incident",
    "confirm_notice_receipt",
    "create_licence",
    "current_criteria_set",
    "fee_blocks",
    "fix_deemed_receipts",
    "format_number",
    "is_holder",
    "issue_licence",
    "issue_recommendation",
    "lapse_expired",
    "late_renewals",
    "notice_to_confirm",
    "open_renewal",
    "receipt_open",
    "record_investigation",
    "reinstate_licence",
    "renewal_dates",
    "renewal_ended",
    "report_incident",
    "respond_to_recommendation",
    "revoke_licence",
    "run_daily",
    "send_reminders",
    "start_renewal",
    "suspend_licence",
    "visible_licences",
]
