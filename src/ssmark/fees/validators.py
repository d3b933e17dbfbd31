"""The registration number's rule lives with the organisation (ssmark.accounts.validators);
these names stay here for the fees modules and for migration accounts.0002, which names this
module."""

from __future__ import annotations

from ssmark.accounts.validators import ERROR_REGISTRATION_NUMBER as ERROR_REGISTRATION_NUMBER
from ssmark.accounts.validators import REGISTRATION_NUMBER as REGISTRATION_NUMBER
from ssmark.accounts.validators import is_registration_number as is_registration_number
from ssmark.accounts.validators import (
    validate_registration_number as validate_registration_number,
)
