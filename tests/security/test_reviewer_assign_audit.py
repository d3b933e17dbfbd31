"""Point 9: assigning the same first reviewer again (a double click, a repeated form) writes
no further audit entry; a real change of reviewer still does."""

from __future__ import annotations

import pytest

from ssmark.accounts.models import Role
from ssmark.core.models import AuditEntry
from ssmark.reviews import services
from tests.conftest import make_user
from tests.fees import factories

ASSIGNING = ["ssmark.application.reviewer_assigned", "ssmark.application.review_started"]


def _assignments(application) -> int:
    return AuditEntry.objects.filter(target_id=str(application.pk), action__in=ASSIGNING).count()


@pytest.mark.django_db
def test_the_same_reviewer_twenty_times_is_one_entry(users, orgs) -> None:
    application = factories.application(orgs, users)
    for _ in range(20):
        services.assign_reviewer(actor=users["rin"], application=application, reviewer=users["ren"])
    assert _assignments(application) == 1
    other = make_user("ren2", orgs["JAIPA"], Role.FIRST_REVIEWER)
    services.assign_reviewer(actor=users["rin"], application=application, reviewer=other)
    assert _assignments(application) == 2
