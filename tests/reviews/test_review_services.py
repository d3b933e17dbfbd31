"""The first-review workflows: assignment, findings, returns, decisions — and what they refuse."""

from __future__ import annotations

from typing import Any

import pytest

from ssmark.accounts.models import Role, User, UserRole
from ssmark.applications import services as app_services
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.applications.states import IllegalTransition
from ssmark.core import events
from ssmark.core.models import AuditEntry, audit_trail
from ssmark.reviews import services
from ssmark.reviews.models import FirstReview, ReturnComment, ReturnRound, ReviewFinding
from ssmark.reviews.verdict import official_verdict


def actions(application: Application) -> list[str]:
    return list(audit_trail(application).order_by("id").values_list("action", flat=True))


class Recorder:
    def __init__(self, signal: Any) -> None:
        self.calls: list[dict[str, Any]] = []
        self.signal = signal
        signal.connect(self.receive)

    def receive(self, sender: Any, **kwargs: Any) -> None:
        self.calls.append(kwargs)

    def close(self) -> None:
        self.signal.disconnect(self.receive)


@pytest.fixture
def returned_events():
    rec = Recorder(events.application_returned)
    yield rec
    rec.close()


@pytest.fixture
def decided_events():
    rec = Recorder(events.first_review_decided)
    yield rec
    rec.close()


# --- assign -----------------------------------------------------------------------------------


def test_reception_assigns_a_reviewer_and_the_review_starts(submitted, users) -> None:
    application = submitted()
    review = services.assign_reviewer(
        actor=users["rin"], application=application, reviewer=users["ren"]
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_FIRST_REVIEW
    assert review.reviewer == users["ren"] and review.assigned_by == users["rin"]
    entry = audit_trail(application).filter(action="ssmark.application.review_started").get()
    assert (entry.from_state, entry.to_state, entry.actor) == (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_FIRST_REVIEW,
        users["rin"],
    )
    # One unanswered finding per item of the criteria set.
    assert (
        ReviewFinding.objects.filter(application=application).count()
        == application.criteria_set.items.count()
    )
    assert not ReviewFinding.objects.filter(application=application, version__gt=0).exists()


@pytest.mark.parametrize("actor", ["tomo", "ren", "alice", "kei", "sue"])
def test_only_reception_staff_of_the_body_assign(submitted, users, actor) -> None:
    application = submitted()
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_RECEPTION)):
        services.assign_reviewer(actor=users[actor], application=application, reviewer=users["ren"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not FirstReview.objects.exists()


@pytest.mark.parametrize("reviewer", ["taro", "rin", "alice"])
def test_the_reviewer_must_be_a_first_reviewer_of_the_body(submitted, users, reviewer) -> None:
    application = submitted()
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_REVIEWER_OF_BODY)):
        services.assign_reviewer(
            actor=users["rin"], application=application, reviewer=users[reviewer]
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not FirstReview.objects.exists()


def test_a_draft_cannot_be_assigned(catalog, users, orgs) -> None:
    draft = app_services.create_application(
        actor=users["alice"], service_name="Draft", reception_body=orgs["JAIPA"]
    )
    before = AuditEntry.objects.count()
    with pytest.raises(IllegalTransition):
        services.assign_reviewer(actor=users["rin"], application=draft, reviewer=users["ren"])
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert AuditEntry.objects.count() == before
    assert not FirstReview.objects.exists()


def second_jaipa_reviewer(orgs: dict[str, Any]) -> User:
    user = User.objects.create_user(username="rei", password="x", organisation=orgs["JAIPA"])
    UserRole.objects.create(user=user, role=Role.FIRST_REVIEWER)
    return user


def test_reassigning_keeps_the_state_and_records_who(in_review, users, orgs, rh) -> None:
    rei = second_jaipa_reviewer(orgs)
    services.assign_reviewer(actor=users["rin"], application=in_review, reviewer=rei)
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW
    assert FirstReview.objects.get(application=in_review).reviewer == rei
    entry = audit_trail(in_review).get(action="ssmark.application.reviewer_assigned")
    assert entry.data == {"reviewer": "rei", "previous_reviewer": "ren"}
    # The previous reviewer may no longer record findings.
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_ASSIGNED_REVIEWER)):
        rh.record(in_review, users["ren"], "1-1-1", finding="met")


# --- findings ---------------------------------------------------------------------------------


def test_the_assigned_reviewer_records_a_finding(in_review, users, rh) -> None:
    saved = rh.record(in_review, users["ren"], "1-1-1", finding="met", comment="Policy seen.")
    assert (saved.finding, saved.version, saved.updated_by) == ("met", 1, users["ren"])
    entry = audit_trail(in_review).get(action="ssmark.application.finding_recorded")
    assert entry.data["item"] == "1-1-1" and entry.comment == "Policy seen."


def test_graded_items_take_a_grade_in_range(in_review, users, rh) -> None:
    saved = rh.record(in_review, users["ren"], "7-1-1", grade=3)
    assert saved.grade == 3 and saved.finding == ""
    with pytest.raises(services.ReviewError, match="0"):
        rh.record(in_review, users["ren"], "7-1-1", grade=6)
    with pytest.raises(services.ReviewError, match=str(services.ERROR_GRADED_NEEDS_GRADE)):
        rh.record(in_review, users["ren"], "7-1-1", finding="met")
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_GRADED)):
        rh.record(in_review, users["ren"], "1-1-1", grade=3)
    assert (
        ReviewFinding.objects.get(application=in_review, item=rh.item(in_review, "7-1-1")).grade
        == 3
    )


@pytest.mark.parametrize("who", ["rin", "taro", "alice", "kei"])
def test_only_the_assigned_reviewer_records_findings(in_review, users, rh, who) -> None:
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_ASSIGNED_REVIEWER)):
        rh.record(in_review, users[who], "1-1-1", finding="met")
    assert not ReviewFinding.objects.filter(application=in_review, version__gt=0).exists()


def test_findings_only_while_in_first_review(in_review, users, rh) -> None:
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "Attach the policy."}
    )
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_IN_REVIEW)):
        rh.record(in_review, users["ren"], "1-1-2", finding="met")


def test_an_item_of_another_set_is_refused(in_review, users, rh) -> None:
    from ssmark.catalog.models import Category, CriteriaSet, Item

    other = CriteriaSet.objects.create(
        set_id="other",
        title="x",
        title_en="x",
        scheme="isp",
        applies_from="2030-01-01",
        source_sha256="0",
        definition={},
    )
    cat = Category.objects.create(criteria_set=other, code="1", title="x", title_en="x", position=1)
    foreign = Item.objects.create(
        criteria_set=other,
        category=cat,
        code="1-1-1",
        position=1,
        text="x",
        text_en="x",
        new_kind="mandatory",
        renewal_kind="mandatory",
    )
    with pytest.raises(services.ReviewError, match=str(services.ERROR_ITEM_NOT_IN_SET)):
        services.record_finding(
            actor=users["ren"],
            application=in_review,
            item=foreign,
            finding="met",
            expected_version=0,
        )


def test_a_stale_version_is_a_conflict_and_never_overwrites(in_review, users, rh) -> None:
    first = rh.record(
        in_review, users["ren"], "2-1-2", finding="met", comment="first", expected_version=0
    )
    assert first.version == 1
    with pytest.raises(services.FindingConflict) as exc:
        rh.record(
            in_review,
            users["ren"],
            "2-1-2",
            finding="not_met",
            comment="second",
            expected_version=0,
        )
    # The message names who changed it and when.
    assert "ren" in str(exc.value)
    assert exc.value.current.comment == "first" and exc.value.current.version == 1
    kept = ReviewFinding.objects.get(application=in_review, item=rh.item(in_review, "2-1-2"))
    assert (kept.finding, kept.comment, kept.version) == ("met", "first", 1)
    assert audit_trail(in_review).filter(action="ssmark.application.finding_recorded").count() == 1


def test_the_scan_item_cannot_be_found_met_while_the_gate_blocks(submitted, users, rh) -> None:
    application = submitted(scan=False)  # no scan report uploaded
    services.assign_reviewer(actor=users["rin"], application=application, reviewer=users["ren"])
    with pytest.raises(services.ReviewError, match="2-1-1"):
        rh.record(application, users["ren"], "2-1-1", finding="met")
    assert rh.record(application, users["ren"], "2-1-1", finding="not_met").version == 1


def test_the_scan_item_can_be_found_met_with_a_clean_report(in_review, users, rh) -> None:
    assert rh.record(in_review, users["ren"], "2-1-1", finding="met").finding == "met"


# --- verdict ----------------------------------------------------------------------------------


def test_the_verdict_uses_the_findings_not_the_claims(in_review, users, rh) -> None:
    # The applicant claimed everything met; no finding yet: everything is unanswered.
    verdict = official_verdict(in_review)
    assert not verdict.passed
    assert len(verdict.unanswered) == in_review.criteria_set.items.count()
    rh.find_all_met(in_review, users["ren"])
    assert official_verdict(in_review).passed
    rh.record(in_review, users["ren"], "4-1-1", finding="not_met")
    verdict = official_verdict(in_review)
    assert not verdict.passed and verdict.unmet_mandatory == ("4-1-1",)


def test_a_graded_zero_fails_the_verdict(in_review, users, rh) -> None:
    rh.find_all_met(in_review, users["ren"])
    rh.record(in_review, users["ren"], "7-1-2", grade=0)
    verdict = official_verdict(in_review)
    assert not verdict.passed and verdict.graded_zero == ("7-1-2",)


# --- return for correction ----------------------------------------------------------------------


def test_return_keeps_each_round(in_review, users, returned_events) -> None:
    first = services.return_for_correction(
        actor=users["ren"],
        application=in_review,
        comments={"1-1-1": "Attach the signed policy.", "3-1-1": "  ", "4-1-1": "Terms?"},
        overall_comment="Two items need work.",
    )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.RETURNED
    assert first.number == 1 and first.returned_by == users["ren"]
    assert dict(first.comments.values_list("item__code", "comment")) == {
        "1-1-1": "Attach the signed policy.",
        "4-1-1": "Terms?",
    }
    assert returned_events.calls[-1]["comments"] == {
        "1-1-1": "Attach the signed policy.",
        "4-1-1": "Terms?",
    }
    assert returned_events.calls[-1]["application"].pk == in_review.pk
    entry = audit_trail(in_review).get(action="ssmark.application.returned")
    assert (entry.from_state, entry.to_state, entry.comment) == (
        ApplicationStatus.IN_FIRST_REVIEW,
        ApplicationStatus.RETURNED,
        "Two items need work.",
    )

    app_services.submit(actor=users["alice"], application=in_review)
    services.resume_review(actor=users["ren"], application=in_review)
    second = services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"4-1-1": "Still missing."}
    )
    assert second.number == 2
    rounds = ReturnRound.objects.filter(application=in_review).order_by("number")
    assert [r.number for r in rounds] == [1, 2]
    assert ReturnComment.objects.filter(round=first).count() == 2  # round 1 untouched
    assert list(second.comments.values_list("item__code", "comment")) == [
        ("4-1-1", "Still missing.")
    ]


def test_return_needs_a_comment(in_review, users) -> None:
    with pytest.raises(services.ReviewError, match=str(services.ERROR_RETURN_NEEDS_COMMENT)):
        services.return_for_correction(
            actor=users["ren"], application=in_review, comments={"1-1-1": "   "}
        )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW
    assert not ReturnRound.objects.exists()


def test_return_refuses_an_unknown_item(in_review, users) -> None:
    with pytest.raises(services.ReviewError, match=str(services.ERROR_ITEM_NOT_IN_SET)):
        services.return_for_correction(
            actor=users["ren"], application=in_review, comments={"9-9-9": "x"}
        )
    assert not ReturnRound.objects.exists()


def test_only_the_assigned_reviewer_returns(in_review, users) -> None:
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_ASSIGNED_REVIEWER)):
        services.return_for_correction(
            actor=users["rin"], application=in_review, comments={"1-1-1": "x"}
        )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW


def test_resubmission_is_taken_up_by_the_reviewer_or_by_reception(in_review, users) -> None:
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "x"}
    )
    # Not yet resubmitted: nothing to take up.
    with pytest.raises(IllegalTransition):
        services.resume_review(actor=users["ren"], application=in_review)
    app_services.submit(actor=users["alice"], application=in_review)
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.RESUBMITTED
    with pytest.raises(services.ReviewError):
        services.resume_review(actor=users["taro"], application=in_review)
    services.assign_reviewer(actor=users["rin"], application=in_review, reviewer=users["ren"])
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW
    assert audit_trail(in_review).filter(action="ssmark.application.review_resumed").exists()


# --- decide -----------------------------------------------------------------------------------


def test_pass_when_the_verdict_passes(in_review, users, rh, decided_events) -> None:
    rh.find_all_met(in_review, users["ren"])
    review = services.decide(actor=users["ren"], application=in_review, decision="passed")
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.FIRST_REVIEW_PASSED
    assert review.decision == "passed" and not review.override
    assert review.decided_by == users["ren"] and review.decided_at is not None
    assert review.verdict_summary["passed"] is True
    [call] = decided_events.calls
    assert call["actor"] == users["ren"] and call["application"].pk == in_review.pk
    assert (call["passed"], call["reason"], call["override"]) == (True, "", False)
    assert "ssmark.application.first_review_passed" in actions(in_review)


def test_pass_is_refused_when_the_verdict_fails(in_review, users, rh, decided_events) -> None:
    rh.find_all_met(in_review, users["ren"])
    rh.record(in_review, users["ren"], "2-1-1", finding="not_met")
    with pytest.raises(services.ReviewError, match=str(services.ERROR_VERDICT_FAILS)):
        services.decide(actor=users["ren"], application=in_review, decision="passed")
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW
    assert FirstReview.objects.get(application=in_review).decision == ""
    assert decided_events.calls == []


def test_the_applicants_claims_cannot_pass_it(in_review, users) -> None:
    # Everything claimed met by the applicant, nothing found by the reviewer: refused.
    with pytest.raises(services.ReviewError, match=str(services.ERROR_VERDICT_FAILS)):
        services.decide(actor=users["ren"], application=in_review, decision="passed")


def test_override_needs_a_written_reason(in_review, users, rh) -> None:
    rh.record(in_review, users["ren"], "2-1-1", finding="not_met")
    with pytest.raises(services.ReviewError, match=str(services.ERROR_OVERRIDE_NEEDS_REASON)):
        services.decide(
            actor=users["ren"],
            application=in_review,
            decision="passed",
            override=True,
            override_reason="   ",
        )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW


def test_override_is_recorded_and_marked(in_review, users, rh, decided_events) -> None:
    rh.find_all_met(in_review, users["ren"])
    rh.record(in_review, users["ren"], "2-1-1", finding="not_met")
    review = services.decide(
        actor=users["ren"],
        application=in_review,
        decision="passed",
        override=True,
        override_reason="The scan was redone on site and is clean.",
    )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.FIRST_REVIEW_PASSED
    assert review.override and review.override_reason.startswith("The scan")
    assert review.verdict_summary["passed"] is False
    assert review.verdict_summary["mandatory"]["unmet"] == ["2-1-1"]
    entry = audit_trail(in_review).get(action="ssmark.application.first_review_passed")
    assert entry.data["override"] is True and entry.comment.startswith("The scan")
    assert decided_events.calls[-1]["override"] is True
    assert decided_events.calls[-1]["reason"].startswith("The scan")


def test_reject_needs_reasons(in_review, users) -> None:
    with pytest.raises(services.ReviewError, match=str(services.ERROR_REJECT_NEEDS_REASONS)):
        services.decide(actor=users["ren"], application=in_review, decision="rejected")
    review = services.decide(
        actor=users["ren"],
        application=in_review,
        decision="rejected",
        reasons="Mandatory items 2-1-1 and 7-4-1 are not met.",
    )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.FIRST_REVIEW_REJECTED
    assert review.decision == "rejected" and "7-4-1" in review.reasons
    entry = audit_trail(in_review).get(action="ssmark.application.first_review_rejected")
    assert entry.comment == review.reasons


@pytest.mark.parametrize("who", ["rin", "taro", "kei", "alice"])
def test_only_the_assigned_reviewer_decides(in_review, users, rh, who) -> None:
    rh.find_all_met(in_review, users["ren"])
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_ASSIGNED_REVIEWER)):
        services.decide(actor=users[who], application=in_review, decision="passed")
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW


def test_illegal_transitions_change_nothing(in_review, users, rh) -> None:
    rh.find_all_met(in_review, users["ren"])
    services.decide(actor=users["ren"], application=in_review, decision="passed")
    before = AuditEntry.objects.count()
    rounds = ReturnRound.objects.count()
    with pytest.raises(IllegalTransition):
        services.decide(actor=users["ren"], application=in_review, decision="rejected", reasons="x")
    with pytest.raises(IllegalTransition):
        services.return_for_correction(
            actor=users["ren"], application=in_review, comments={"1-1-1": "x"}
        )
    with pytest.raises(IllegalTransition):
        services.assign_reviewer(actor=users["rin"], application=in_review, reviewer=users["ren"])
    with pytest.raises(services.ReviewError, match=str(services.ERROR_NOT_IN_REVIEW)):
        rh.record(in_review, users["ren"], "1-1-1", finding="not_met")
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.FIRST_REVIEW_PASSED
    assert AuditEntry.objects.count() == before
    assert ReturnRound.objects.count() == rounds
    assert FirstReview.objects.get(application=in_review).decision == "passed"
