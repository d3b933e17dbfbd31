"""Signals the fees app sends (the notifications app listens), inside the issuing transaction.

Both are sent with sender=Invoice and keyword arguments invoice=Invoice, actor=User | None.
"""

from __future__ import annotations

from django.dispatch import Signal

# An invoice or a credit note was issued.
invoice_issued = Signal()
# An invoice was found overdue (sent once per invoice).
invoice_overdue = Signal()
