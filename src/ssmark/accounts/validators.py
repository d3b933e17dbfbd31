"""The qualified-invoice registration number (適格請求書発行事業者登録番号): "T" + 13 digits."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGISTRATION_NUMBER = re.compile(r"T[0-9]{13}")
ERROR_REGISTRATION_NUMBER = _(
    "A registration number is “T” followed by 13 digits, e.g. T1234567890123."
)


def is_registration_number(value: str) -> bool:
    return bool(REGISTRATION_NUMBER.fullmatch(value or ""))


def validate_registration_number(value: str) -> None:
    """Django validator (for Organisation.invoice_registration_number and forms)."""
    if not is_registration_number(value):
        raise ValidationError(ERROR_REGISTRATION_NUMBER, code="registration_number")
