"""Recording the committee's decisions: the rules, the illegal cases, and what follows."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ssmark.accounts.models import Role, User, UserRole
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.committee import services
from ssmark.committee.models import AgendaItem, Session, SessionStatus
from ssmark.core import events
from ssmark.core.models import AuditEntry
from ssmark.licences.models import Licence

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def held(make_session: Callable[..., Session]) -> Session:
    return make_session(days(0), status=SessionStatus.HELD)


@pytest.fixture
def on_agenda(
    held: Session, make_application: Callable[..., Application], users: dict[str, User]
) -> Callable[..., AgendaItem]:
    def make(**kwargs: Any) -> AgendaItem:
        application = make_application(**kwargs)
        item = services.place_on_agenda(application=application, actor=users["sue"], session=held)
        assert item is not None
        return item

    return make


@pytest.fixture
def decided_events() -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    events.committee_decided.connect(receiver, weak=False, dispatch_uid="test-committee")
    yield received
    events.committee_decided.disconnect(dispatch_uid="test-committee")


def decide(
    item: AgendaItem, users: dict[str, User], decision: str, reasons: str = "", actor: str = "kei"
) -> AgendaItem:
    return services.record_decision(
        agenda_item=item,
        decision=decision,
        reasons=reasons,
        actor=users[actor],
        members_present=[users["kei"]],
    )


@pytest.mark.parametrize(("reception", "letter"), [("JAIPA", "J"), ("TELESA", "T"), ("TCA", "D")])
def test_approved_issues_a_licence_with_the_reception_body_letter(
    on_agenda: Callable[..., AgendaItem],
    users: dict[str, User],
    held: Session,
    decided_events: list[dict[str, Any]],
    reception: str,
    letter: str,
) -> None:
    item = on_agenda(reception=reception)
    decide(item, users, "approved", actor="sue")

    item.refresh_from_db()
    application = Application.objects.get(pk=item.application_id)
    assert application.status == ApplicationStatus.APPROVED
    assert item.decision == "approved" and item.decided_by == users["sue"] and item.decided_at
    assert list(item.members_present.all()) == [users["kei"]]
    licence = Licence.objects.get(application=application)
    assert licence.number[0] == letter and len(licence.number) == 5 and licence.number[1:].isdigit()
    assert licence.first_granted_on == held.date
    entry = AuditEntry.objects.get(action="ssmark.committee.approved")
    assert entry.to_state == ApplicationStatus.APPROVED and entry.actor == users["sue"]
    assert entry.data["members_present"] == [users["kei"].pk]
    assert decided_events == [
        {
            "signal": events.committee_decided,
            "application": application,
            "decision": "approved",
            "reason": "",
            "actor": users["sue"],
        }
    ]


def test_licence_numbers_are_issued_in_order(
    on_agenda: Callable[..., AgendaItem], users: dict[str, User]
) -> None:
    first, second = on_agenda(), on_agenda()
    decide(first, users, "approved")
    decide(second, users, "approved")
    numbers = [Licence.objects.get(application_id=i.application_id).number for i in (first, second)]
    assert numbers[0] < numbers[1] and all(n.startswith("J") for n in numbers)


def test_rejected_needs_reasons_and_ends_the_application(
    on_agenda: Callable[..., AgendaItem],
    users: dict[str, User],
    decided_events: list[dict[str, Any]],
) -> None:
    item = on_agenda()
    with pytest.raises(services.CommitteeError) as exc:
        decide(item, users, "rejected", reasons="  ")
    assert str(exc.value) == str(services.ERROR_REASONS_REQUIRED)
    assert decided_events == []

    decide(item, users, "rejected", reasons="一次審査の判定に誤り（3-2-1 未充足）")
    application = Application.objects.get(pk=item.application_id)
    assert application.status == ApplicationStatus.COMMITTEE_REJECTED
    assert not Licence.objects.exists()
    assert AuditEntry.objects.filter(action="ssmark.committee.rejected").count() == 1
    assert decided_events[0]["decision"] == "rejected"
    assert decided_events[0]["reason"] == "一次審査の判定に誤り（3-2-1 未充足）"


def test_deferred_moves_to_the_next_planned_session(
    on_agenda: Callable[..., AgendaItem],
    users: dict[str, User],
    held: Session,
    make_session: Callable[..., Session],
) -> None:
    later = make_session(days(200))
    nxt = make_session(days(90))
    item = on_agenda()
    with pytest.raises(services.CommitteeError, match=str(services.ERROR_REASONS_REQUIRED)):
        decide(item, users, "deferred")

    decide(item, users, "deferred", reasons="監査報告書の追加確認が必要")

    application = Application.objects.get(pk=item.application_id)
    assert application.status == ApplicationStatus.FIRST_REVIEW_PASSED
    moved = AgendaItem.objects.get(application=application, decision="")
    assert moved.session == nxt and moved.carried_from == item
    assert not later.items.exists()
    assert AuditEntry.objects.filter(action="ssmark.committee.deferred").count() == 1


def test_deferred_without_a_next_session_waits_and_keeps_its_history(
    on_agenda: Callable[..., AgendaItem],
    users: dict[str, User],
) -> None:
    item = on_agenda()
    decide(item, users, "deferred", reasons="継続審議")
    assert list(services.waiting_applications()) == [item.application]

    session = services.schedule_session(actor=users["sue"], date=days(100), place="会議室")
    moved = session.items.get()
    assert moved.application == item.application and moved.carried_from == item


@pytest.mark.parametrize("name", ["ada", "alice", "charlie", "rin", "ren"])
def test_only_secretariat_or_committee_members_decide(
    on_agenda: Callable[..., AgendaItem], users: dict[str, User], name: str
) -> None:
    item = on_agenda()
    with pytest.raises(services.CommitteeError) as exc:
        decide(item, users, "approved", actor=name)
    assert str(exc.value) == str(services.ERROR_NOT_ALLOWED_TO_DECIDE)
    _assert_unchanged(item)


def test_a_committee_member_absent_from_the_session_cannot_decide(
    on_agenda: Callable[..., AgendaItem], users: dict[str, User], orgs: dict[str, Any]
) -> None:
    absent = User.objects.create_user(username="absent", organisation=orgs["SECRETARIAT"])
    UserRole.objects.create(user=absent, role=Role.COMMITTEE_MEMBER)
    item = on_agenda()
    with pytest.raises(services.CommitteeError) as exc:
        services.record_decision(
            agenda_item=item,
            decision="approved",
            reasons="",
            actor=absent,
            members_present=[users["kei"]],
        )
    assert str(exc.value) == str(services.ERROR_NOT_ALLOWED_TO_DECIDE)
    with pytest.raises(services.CommitteeError) as exc:
        services.record_decision(
            agenda_item=item,
            decision="approved",
            reasons="",
            actor=users["sue"],
            members_present=[absent],
        )
    assert str(exc.value) == services.ERROR_MEMBER_NOT_AT_SESSION % {"name": "absent"}
    _assert_unchanged(item)


@pytest.mark.parametrize("status", [SessionStatus.PLANNED, SessionStatus.CLOSED])
def test_only_while_the_session_is_held(
    on_agenda: Callable[..., AgendaItem], users: dict[str, User], held: Session, status: str
) -> None:
    item = on_agenda()
    Session.objects.filter(pk=held.pk).update(status=status)
    with pytest.raises(services.CommitteeError) as exc:
        decide(item, users, "approved")
    assert str(exc.value) == str(services.ERROR_SESSION_NOT_HELD)
    _assert_unchanged(item)


def test_illegal_cases_change_nothing(
    on_agenda: Callable[..., AgendaItem], users: dict[str, User]
) -> None:
    item = on_agenda()
    cases = [
        ({"decision": "maybe"}, services.ERROR_UNKNOWN_DECISION),
        ({"members_present": []}, services.ERROR_NO_MEMBERS),
        ({"members_present": [users["sue"]]}, None),  # not a committee member
    ]
    for change, message in cases:
        kwargs: dict[str, Any] = {
            "agenda_item": item,
            "decision": "approved",
            "reasons": "",
            "actor": users["sue"],
            "members_present": [users["kei"]],
        }
        kwargs.update(change)
        with pytest.raises(services.CommitteeError) as exc:
            services.record_decision(**kwargs)
        if message is not None:
            assert str(exc.value) == str(message)
        _assert_unchanged(item)


def test_no_second_decision(on_agenda: Callable[..., AgendaItem], users: dict[str, User]) -> None:
    item = on_agenda()
    decide(item, users, "rejected", reasons="理由")
    with pytest.raises(services.CommitteeError) as exc:
        decide(item, users, "approved")
    assert str(exc.value) == str(services.ERROR_ALREADY_DECIDED)
    assert not Licence.objects.exists()


def test_withdrawn_application_cannot_be_decided(
    on_agenda: Callable[..., AgendaItem], users: dict[str, User]
) -> None:
    item = on_agenda()
    Application.objects.filter(pk=item.application_id).update(status=ApplicationStatus.WITHDRAWN)
    with pytest.raises(services.CommitteeError) as exc:
        decide(item, users, "approved")
    assert str(exc.value) == str(services.ERROR_NOT_AWAITING)
    item.refresh_from_db()
    assert item.decision == "" and not Licence.objects.exists()


def test_a_failing_licence_issue_rolls_the_decision_back(
    on_agenda: Callable[..., AgendaItem],
    users: dict[str, User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ssmark.licences import services as licence_services

    def broken(**kwargs: Any) -> None:
        raise licence_services.LicenceError("no numbers left")

    # The committee service calls issue_licence by name, as its explicit step.
    monkeypatch.setattr(services, "issue_licence", broken)
    item = on_agenda()
    with pytest.raises(services.CommitteeError, match="no numbers left"):
        decide(item, users, "approved")
    _assert_unchanged(item)


def _assert_unchanged(item: AgendaItem) -> None:
    item.refresh_from_db()
    assert item.decision == "" and item.decided_at is None
    assert not item.members_present.exists()
    application = Application.objects.get(pk=item.application_id)
    assert application.status == ApplicationStatus.FIRST_REVIEW_PASSED
    assert not Licence.objects.filter(application=application).exists()
    assert not AuditEntry.objects.filter(
        action__in=[
            "ssmark.committee.approved",
            "ssmark.committee.rejected",
            "ssmark.committee.deferred",
        ]
    ).exists()
