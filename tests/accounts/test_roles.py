import pytest

from ssmark.accounts.models import Role, UserRole


@pytest.mark.django_db
def test_has_role(users) -> None:
    assert users["alice"].has_role(Role.APPLICANT)
    assert not users["alice"].has_role(Role.RECEPTION_STAFF, Role.FIRST_REVIEWER)
    assert users["rin"].has_role(Role.APPLICANT, Role.RECEPTION_STAFF)
    assert users["rin"].is_staff_role and not users["alice"].is_staff_role


@pytest.mark.django_db
def test_a_role_is_held_once(users) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        UserRole.objects.create(user=users["alice"], role=Role.APPLICANT)
