"""Organisation.invoice_registration_number: "T" + 13 digits, or blank (no invoices issued)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ssmark.accounts.models import Organisation, OrganisationKind
from ssmark.fees.validators import ERROR_REGISTRATION_NUMBER

pytestmark = pytest.mark.django_db


def _org(regno: str) -> Organisation:
    return Organisation(
        kind=OrganisationKind.RECEPTION_BODY,
        name="受付団体",
        code="X",
        invoice_registration_number=regno,
    )


def test_a_valid_registration_number_passes_full_clean():
    _org("T1010405010486").full_clean()


def test_blank_is_allowed_for_organisations_that_issue_no_invoices():
    org = Organisation(kind=OrganisationKind.APPLICANT, name="サンプルネット株式会社")
    org.full_clean()
    assert org.invoice_registration_number == ""


@pytest.mark.parametrize(
    "value",
    ["1010405010486", "T101040501048", "T10104050104860", "t1010405010486", "T10104O5010486"],
)
def test_a_malformed_registration_number_is_refused(value):
    with pytest.raises(ValidationError) as exc:
        _org(value).full_clean()
    assert str(ERROR_REGISTRATION_NUMBER) in exc.value.message_dict["invoice_registration_number"]
