"""Fee workflows: issuing invoices (gap-free numbers), payments, corrections, overdue detection,
annual billing, and `unpaid_blocks()` — what an unpaid fee holds up, for the other apps to ask.

Amounts, due rules and tax come from the fee schedule in force (ssmark/fees/schedules.yaml),
never from code. Every function that writes runs in a transaction and writes an audit entry.

The modules, by concern (import from here, `ssmark.fees.services`):
- access: who may see and handle invoices
- balances: paid, credited and outstanding amounts; the invoice's status
- issuing: invoice numbers and issuing an invoice or credit note
- billing: the review fee and the annual mark usage fees
- payments, corrections, overdue
- blocking: what an unpaid fee holds up; the unpaid review fees
- errors: FeesError and its messages
"""

from __future__ import annotations

from .access import can_manage, is_fees_staff, visible_invoices
from .balances import Balance, balance, invoice_status, with_balances
from .billing import (
    DESCRIPTIONS,
    REVIEW_KINDS,
    last_anniversary,
    raise_annual_fee_for_year,
    raise_due_annual_fees,
    raise_first_annual_fee,
    raise_review_fee,
    request_review_fee,
)
from .blocking import (
    BLOCK_ANNUAL_FEE_NOT_INVOICED,
    BLOCK_ANNUAL_FEE_OVERDUE,
    BLOCK_ANNUAL_FEE_UNPAID,
    BLOCK_REVIEW_FEE_NOT_INVOICED,
    BLOCK_REVIEW_FEE_NOT_REQUESTED,
    BLOCK_REVIEW_FEE_UNPAID,
    BLOCK_REVIEW_FEE_UNPAID_BEFORE_SUBMISSION,
    BlockedAction,
    FeeUnpaid,
    ReviewFeeStatus,
    UnpaidBlock,
    refuse_if_unpaid,
    review_fee_status,
    unpaid_blocks,
    unpaid_review_fees,
)
from .corrections import issue_correction
from .errors import (
    ERROR_ALREADY_CANCELLED,
    ERROR_AMOUNT_POSITIVE,
    ERROR_CORRECT_CREDIT_NOTE,
    ERROR_CREDIT_NOTE_PAYMENT,
    ERROR_FUTURE_PAYMENT,
    ERROR_HAS_PAYMENTS,
    ERROR_NOT_ALLOWED,
    ERROR_NOTHING_OWED,
    ERROR_OVERPAYMENT,
    ERROR_REASON_REQUIRED,
    ERROR_REVIEW_FEE_NOT_NOW,
    FeesError,
)
from .issuing import format_number, issue_invoice
from .overdue import detect_overdue, overdue_invoices
from .payments import record_payment

__all__ = [
    "BLOCK_ANNUAL_FEE_NOT_INVOICED",
    "BLOCK_ANNUAL_FEE_OVERDUE",
    "BLOCK_ANNUAL_FEE_UNPAID",
    "BLOCK_REVIEW_FEE_NOT_INVOICED",
    "BLOCK_REVIEW_FEE_NOT_REQUESTED",
    "BLOCK_REVIEW_FEE_UNPAID",
    "BLOCK_REVIEW_FEE_UNPAID_BEFORE_SUBMISSION",
    "DESCRIPTIONS",
    "ERROR_ALREADY_CANCELLED",
    "ERROR_AMOUNT_POSITIVE",
    "ERROR_CORRECT_CREDIT_NOTE",
    "ERROR_CREDIT_NOTE_PAYMENT",
    "ERROR_FUTURE_PAYMENT",
    "ERROR_HAS_PAYMENTS",
    "ERROR_NOTHING_OWED",
    "ERROR_NOT_ALLOWED",
    "ERROR_OVERPAYMENT",
    "ERROR_REASON_REQUIRED",
    "ERROR_REVIEW_FEE_NOT_NOW",
    "REVIEW_KINDS",
    "Balance",
    "BlockedAction",
    "FeeUnpaid",
    "FeesError",
    "ReviewFeeStatus",
    "UnpaidBlock",
    "balance",
    "can_manage",
    "detect_overdue",
    "format_number",
    "invoice_status",
    "is_fees_staff",
    "issue_correction",
    "issue_invoice",
    "last_anniversary",
    "overdue_invoices",
    "raise_annual_fee_for_year",
    "raise_due_annual_fees",
    "raise_first_annual_fee",
    "raise_review_fee",
    "record_payment",
    "refuse_if_unpaid",
    "request_review_fee",
    "review_fee_status",
    "unpaid_blocks",
    "unpaid_review_fees",
    "visible_invoices",
    "with_balances",
]
