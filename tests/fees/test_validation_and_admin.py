"""The registration number's format, and the admin that cannot change an invoice."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from ssmark.fees.models import Invoice, Payment
from ssmark.fees.validators import is_registration_number, validate_registration_number


@pytest.mark.parametrize("value", ["T1010405010486", "T0000000000000"])
def test_valid_registration_numbers(value):
    assert is_registration_number(value)
    validate_registration_number(value)


@pytest.mark.parametrize(
    "value",
    ["", "1010405010486", "T101040501048", "T10104050104860", "t1010405010486", "T101040501048A"],
)
def test_invalid_registration_numbers(value):
    assert not is_registration_number(value)
    with pytest.raises(ValidationError):
        validate_registration_number(value)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Invoice, Payment])
def test_admin_is_read_only(model, users):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = users["ada"]
    users["ada"].is_superuser = users["ada"].is_staff = True
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
