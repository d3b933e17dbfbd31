import pytest

from ssmark.accounts.models import Organisation
from ssmark.core.models import AuditEntry, audit, audit_trail


@pytest.mark.django_db
def test_audit_records_who_what_and_the_states(users) -> None:
    org = Organisation.objects.get(code="sample-net")
    entry = audit(
        actor=users["sue"],
        action="ssmark.test.changed",
        target=org,
        from_state="a",
        to_state="b",
        comment="why",
        data={"k": 1},
    )
    assert list(audit_trail(org)) == [entry]
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.action, stored.target_type, stored.target_id) == (
        users["sue"],
        "ssmark.test.changed",
        "accounts.organisation",
        str(org.pk),
    )
    assert (stored.from_state, stored.to_state, stored.comment, stored.data) == (
        "a",
        "b",
        "why",
        {"k": 1},
    )


@pytest.mark.django_db
def test_scheduled_jobs_audit_without_a_user(orgs) -> None:
    entry = audit(actor=None, action="ssmark.job.ran", target=orgs["JAIPA"])
    assert entry.actor is None
