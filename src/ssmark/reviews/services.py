"""First-review workflows: assign a reviewer, record findings, return, decide.

Each function is keyword-only, checks the application's state and the actor's role, changes
everything inside one transaction, writes the audit trail and sends the matching event.
Application state changes go through `ssmark.applications.states.transition()`; an illegal
one raises `IllegalTransition` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ssmark.applications import assessment
from ssmark.applications.models import Application, ApplicationStatus
from ssmark.applications.states import IllegalTransition, can_transition, transition
from ssmark.catalog.models import Item, ItemKind
from ssmark.committee.services import place_on_agenda
from ssmark.core import events
from ssmark.core.models import audit
from ssmark.core.refusals import Refusal
from ssmark.fees import services as fees
from ssmark.licences.services import renewal_ended

from . import permissions
from .models import Decision, FindingValue, FirstReview, ReturnComment, ReturnRound, ReviewFinding
from .people import person_name
from .verdict import Verdict, official_verdict

ERROR_NOT_RECEPTION = _(
    "Only reception staff of the application's reception body can assign its first reviewer."
)
ERROR_NOT_REVIEWER_OF_BODY = _(
    "The reviewer must be a first reviewer of the application's reception body."
)
ERROR_NOT_ASSIGNED_REVIEWER = _("Only the assigned first reviewer can do this.")
ERROR_NOT_IN_REVIEW = _("The application is not in first review.")
ERROR_NOT_RESUBMITTED = _("The application has not been resubmitted.")
ERROR_ITEM_NOT_IN_SET = _("This item is not part of the application's criteria set.")
ERROR_GRADED_NEEDS_GRADE = _("This item is graded: give a grade, not met / not met.")
ERROR_NOT_GRADED = _("This item is not graded: record met or not met.")
ERROR_GRADE_RANGE = _("The grade must be between %(min)s and %(max)s.")
ERROR_UNKNOWN_FINDING = _("Unknown finding.")
ERROR_SCAN_BLOCKS_FINDING = _(
    "Item %(code)s cannot be found met while the vulnerability diagnosis does not pass "
    "(%(reason)s). Record it as not met, or pass the application by override with a written "
    "reason."
)
ERROR_CONFLICT = _(
    "%(who)s changed this finding at %(when)s while you were editing it. Nothing was "
    "overwritten: their version is shown now; check it and save again."
)
ERROR_RETURN_NEEDS_COMMENT = _("Write a comment on at least one item to return the application.")
ERROR_VERDICT_FAILS = _(
    "The verdict from the findings does not pass. The application can only be passed by an "
    "override with a written reason."
)
ERROR_OVERRIDE_NEEDS_REASON = _("An override needs a written reason.")
ERROR_REJECT_NEEDS_REASONS = _("Give the reasons for rejecting the application.")
# The fee schedule's rule first_review_not_started_until_review_fee_paid; `reasons` names the
# unpaid invoice.
ERROR_FEE_UNPAID = _("The first review cannot start until the fee is paid: %(reasons)s")


# The application states in which reception staff may assign (or reassign) the first reviewer.
ASSIGNABLE_STATES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RESUBMITTED,
    ApplicationStatus.IN_FIRST_REVIEW,
    ApplicationStatus.RETURNED,
)


class ReviewError(Refusal):
    """A first-review rule was broken; the message is one of the ERROR_* constants."""

    default_code = "review_refused"


class FeeUnpaid(ReviewError, fees.FeeUnpaid):
    """The first review may not start yet: an unpaid fee holds it up (`blocks` says which)."""


class FindingConflict(ReviewError):
    """Someone saved the finding after the version the caller based its change on."""

    def __init__(self, current: ReviewFinding) -> None:
        self.current = current
        name = person_name(current.updated_by)
        when = (
            formats.date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
            if current.updated_at
            else "?"
        )
        super().__init__(ERROR_CONFLICT, {"who": name, "when": when})


# --- helpers ----------------------------------------------------------------------------------


def _locked(application: Application) -> Application:
    """The application re-read and locked: state checks see what other requests committed."""
    return Application.objects.select_for_update().get(pk=application.pk)


def _require_assigned_reviewer(actor: Any, application: Application) -> FirstReview:
    review = FirstReview.objects.filter(application=application).first()
    if (
        review is None
        or review.reviewer_id != getattr(actor, "pk", None)
        or not permissions.is_first_reviewer_of_body(actor, application)
    ):
        raise ReviewError(ERROR_NOT_ASSIGNED_REVIEWER)
    return review


def _ensure_finding_rows(application: Application) -> None:
    """One (unanswered) finding per item of the application's criteria set."""
    have = set(
        ReviewFinding.objects.filter(application=application).values_list("item_id", flat=True)
    )
    missing = Item.objects.filter(criteria_set_id=application.criteria_set_id).exclude(pk__in=have)
    ReviewFinding.objects.bulk_create(
        [ReviewFinding(application=application, item=item) for item in missing],
        ignore_conflicts=True,
    )


def start_fee_blocks(application: Application) -> list[fees.UnpaidBlock]:
    """What unpaid fees hold up starting the first review of a submitted `application` (the fee
    schedule's rule first_review_not_started_until_review_fee_paid); empty when nothing does,
    and for an application whose review has already started."""
    if application.status != ApplicationStatus.SUBMITTED:
        return []
    return fees.unpaid_blocks(action=fees.BlockedAction.START_FIRST_REVIEW, application=application)


# --- workflows --------------------------------------------------------------------------------


def assign_reviewer(*, actor: Any, application: Application, reviewer: Any) -> FirstReview:
    """Reception staff assign (or reassign) the first reviewer.

    submitted → in first review ("review started"); resubmitted → in first review (the
    resubmission is picked up); in first review or returned: the reviewer changes only.
    Starting the review is refused with `FeeUnpaid` (nothing changes) while the fee schedule
    holds it up until the review fee is paid.
    """
    with transaction.atomic():
        app = _locked(application)
        if not permissions.is_reception_staff_of(actor, app):
            raise ReviewError(ERROR_NOT_RECEPTION)
        if not permissions.is_first_reviewer_of_body(reviewer, app):
            raise ReviewError(ERROR_NOT_REVIEWER_OF_BODY)
        if app.status not in ASSIGNABLE_STATES:
            raise IllegalTransition(app, ApplicationStatus.IN_FIRST_REVIEW)
        if app.status == ApplicationStatus.SUBMITTED:
            fees.refuse_if_unpaid(
                action=fees.BlockedAction.START_FIRST_REVIEW,
                application=app,
                message=ERROR_FEE_UNPAID,
                refusal=FeeUnpaid,
            )
        now = timezone.now()
        review, created = FirstReview.objects.get_or_create(
            application=app,
            defaults={"reviewer": reviewer, "assigned_by": actor, "assigned_at": now},
        )
        if (
            not created
            and review.reviewer_id == reviewer.pk
            and app.status in (ApplicationStatus.IN_FIRST_REVIEW, ApplicationStatus.RETURNED)
        ):
            # The same reviewer again (a double click, a repeated form): nothing changes, so
            # nothing is written to the audit trail.
            return review
        previous = None if created else review.reviewer
        if not created:
            review.reviewer, review.assigned_by, review.assigned_at = reviewer, actor, now
            review.save(update_fields=["reviewer", "assigned_by", "assigned_at"])
        data = {"reviewer": reviewer.username}
        if previous is not None and previous.pk != reviewer.pk:
            data["previous_reviewer"] = previous.username
        if app.status == ApplicationStatus.SUBMITTED:
            transition(
                app,
                to_status=ApplicationStatus.IN_FIRST_REVIEW,
                actor=actor,
                action="ssmark.application.review_started",
                data=data,
            )
        elif app.status == ApplicationStatus.RESUBMITTED:
            transition(
                app,
                to_status=ApplicationStatus.IN_FIRST_REVIEW,
                actor=actor,
                action="ssmark.application.review_resumed",
                data=data,
            )
        else:
            audit(actor=actor, action="ssmark.application.reviewer_assigned", target=app, data=data)
        _ensure_finding_rows(app)
    application.status = app.status
    return review


def resume_review(*, actor: Any, application: Application) -> Application:
    """The assigned reviewer picks up a resubmitted application: resubmitted → in first review."""
    with transaction.atomic():
        app = _locked(application)
        _require_assigned_reviewer(actor, app)
        if app.status != ApplicationStatus.RESUBMITTED:
            raise IllegalTransition(app, ApplicationStatus.IN_FIRST_REVIEW)
        transition(
            app,
            to_status=ApplicationStatus.IN_FIRST_REVIEW,
            actor=actor,
            action="ssmark.application.review_resumed",
            data={"reviewer": actor.username},
        )
        _ensure_finding_rows(app)
    application.status = app.status
    return application


def record_finding(
    *,
    actor: Any,
    application: Application,
    item: Item,
    finding: str = "",
    grade: int | None = None,
    comment: str = "",
    expected_version: int,
) -> ReviewFinding:
    """Save the assigned reviewer's finding on one item.

    `expected_version` is the version the reviewer's form was based on. When someone saved the
    finding since, nothing is written and `FindingConflict` names who changed it and when. The
    check and the write are one conditional UPDATE, so it holds under concurrent requests.
    """
    with transaction.atomic():
        app = Application.objects.get(pk=application.pk)
        _require_assigned_reviewer(actor, app)
        if app.status != ApplicationStatus.IN_FIRST_REVIEW:
            raise ReviewError(ERROR_NOT_IN_REVIEW)
        if item.criteria_set_id != app.criteria_set_id:
            raise ReviewError(ERROR_ITEM_NOT_IN_SET)
        if finding not in FindingValue.values:
            raise ReviewError(ERROR_UNKNOWN_FINDING)
        if item.kind_for(app.review_type) == ItemKind.GRADED:
            if finding:
                raise ReviewError(ERROR_GRADED_NEEDS_GRADE)
            if grade is not None:
                low, high = item.grade_min or 0, item.grade_max or 0
                if not low <= grade <= high:
                    raise ReviewError(ERROR_GRADE_RANGE, {"min": low, "max": high})
        elif grade is not None:
            raise ReviewError(ERROR_NOT_GRADED)
        if finding == FindingValue.MET and assessment.is_scan_item(item):
            gate = assessment.scan_gate(app)
            if gate.blocks_claim:
                raise ReviewError(
                    ERROR_SCAN_BLOCKS_FINDING, {"code": item.code, "reason": gate.reason}
                )
        comment = comment.strip()
        ReviewFinding.objects.get_or_create(application=app, item=item)
        now = timezone.now()
        updated = ReviewFinding.objects.filter(
            application=app, item=item, version=expected_version
        ).update(
            finding=finding,
            grade=grade,
            comment=comment,
            version=F("version") + 1,
            updated_by=actor,
            updated_at=now,
        )
        if not updated:
            current = ReviewFinding.objects.select_related("updated_by").get(
                application=app, item=item
            )
            raise FindingConflict(current)
        saved = ReviewFinding.objects.select_related("updated_by", "item").get(
            application=app, item=item
        )
        audit(
            actor=actor,
            action="ssmark.application.finding_recorded",
            target=app,
            comment=comment,
            data={"item": item.code, "finding": finding, "grade": grade, "version": saved.version},
        )
    return saved


def return_for_correction(
    *,
    actor: Any,
    application: Application,
    comments: Mapping[str, str],
    overall_comment: str = "",
) -> ReturnRound:
    """Send the application back to the applicant with comments per item (item code → text).

    At least one item needs a comment. Every round is kept: who returned it, when, and what
    was said about which item.
    """
    cleaned = {code: text.strip() for code, text in comments.items() if text and text.strip()}
    with transaction.atomic():
        app = _locked(application)
        _require_assigned_reviewer(actor, app)
        if not can_transition(app, ApplicationStatus.RETURNED):
            raise IllegalTransition(app, ApplicationStatus.RETURNED)
        if not cleaned:
            raise ReviewError(ERROR_RETURN_NEEDS_COMMENT)
        items = {
            item.code: item
            for item in Item.objects.filter(
                criteria_set_id=app.criteria_set_id, code__in=list(cleaned)
            )
        }
        if set(cleaned) - set(items):
            raise ReviewError(ERROR_ITEM_NOT_IN_SET)
        number = ReturnRound.objects.filter(application=app).count() + 1
        round_ = ReturnRound.objects.create(
            application=app,
            number=number,
            returned_by=actor,
            returned_at=timezone.now(),
            comment=overall_comment.strip(),
        )
        ordered = sorted(cleaned, key=lambda code: items[code].position)
        ReturnComment.objects.bulk_create(
            [
                ReturnComment(round=round_, item=items[code], comment=cleaned[code])
                for code in ordered
            ]
        )
        transition(
            app,
            to_status=ApplicationStatus.RETURNED,
            actor=actor,
            action="ssmark.application.returned",
            comment=round_.comment,
            data={"round": number, "comments": {code: cleaned[code] for code in ordered}},
        )
        events.application_returned.send(
            sender=Application,
            actor=actor,
            application=app,
            comments={code: cleaned[code] for code in ordered},
        )
    application.status = app.status
    return round_


def decide(
    *,
    actor: Any,
    application: Application,
    decision: str,
    reasons: str = "",
    override: bool = False,
    override_reason: str = "",
) -> FirstReview:
    """Pass the application on to the second review, or reject it with reasons.

    Passing needs the official verdict (the rule engine over the reviewer's findings) to pass,
    unless `override` is set with a written `override_reason`, which is recorded and marked.
    """
    reasons, override_reason = reasons.strip(), override_reason.strip()
    with transaction.atomic():
        app = _locked(application)
        review = _require_assigned_reviewer(actor, app)
        to_status = (
            ApplicationStatus.FIRST_REVIEW_PASSED
            if decision == Decision.PASSED
            else (ApplicationStatus.FIRST_REVIEW_REJECTED if decision == Decision.REJECTED else "")
        )
        if not to_status:
            raise ValueError(f"unknown decision {decision!r}")
        if not can_transition(app, to_status):
            raise IllegalTransition(app, to_status)
        verdict = official_verdict(app)
        used_override = False
        if decision == Decision.PASSED:
            if not verdict.passed:
                if not override:
                    raise ReviewError(ERROR_VERDICT_FAILS)
                if not override_reason:
                    raise ReviewError(ERROR_OVERRIDE_NEEDS_REASON)
                used_override = True
            action = "ssmark.application.first_review_passed"
            reason = override_reason if used_override else reasons
        else:
            if not reasons:
                raise ReviewError(ERROR_REJECT_NEEDS_REASONS)
            action = "ssmark.application.first_review_rejected"
            reason = reasons
        review.decision = decision
        review.reasons = reasons
        review.override = used_override
        review.override_reason = override_reason if used_override else ""
        review.verdict_summary = verdict.summary()
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.save()
        transition(
            app,
            to_status=to_status,
            actor=actor,
            action=action,
            comment=reason,
            data={"override": used_override, "verdict": review.verdict_summary},
        )
        events.first_review_decided.send(
            sender=Application,
            actor=actor,
            application=app,
            passed=decision == Decision.PASSED,
            reason=reason,
            override=used_override,
        )
        # The steps that follow, in order, in this transaction (the signal above only fans out
        # to notifications): a pass joins the next planned committee session's agenda (or waits
        # for the secretariat to schedule one); a failed renewal puts its licence back to active.
        if decision == Decision.PASSED:
            place_on_agenda(application=app, actor=actor)
        else:
            renewal_ended(application=app, actor=actor)
    application.status = app.status
    return review


__all__ = [
    "ERROR_CONFLICT",
    "ERROR_GRADED_NEEDS_GRADE",
    "ERROR_GRADE_RANGE",
    "ERROR_ITEM_NOT_IN_SET",
    "ERROR_NOT_ASSIGNED_REVIEWER",
    "ERROR_NOT_GRADED",
    "ERROR_NOT_IN_REVIEW",
    "ERROR_NOT_RECEPTION",
    "ERROR_NOT_RESUBMITTED",
    "ERROR_NOT_REVIEWER_OF_BODY",
    "ERROR_OVERRIDE_NEEDS_REASON",
    "ERROR_REJECT_NEEDS_REASONS",
    "ERROR_RETURN_NEEDS_COMMENT",
    "ERROR_SCAN_BLOCKS_FINDING",
    "ERROR_UNKNOWN_FINDING",
    "ERROR_VERDICT_FAILS",
    "FindingConflict",
    "ReviewError",
    "Verdict",
    "assign_reviewer",
    "decide",
    "record_finding",
    "resume_review",
    "return_for_correction",
]
