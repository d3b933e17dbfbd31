"""Submitting and withdrawing an application, and the snapshot kept of each round."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise

from ssmark.core import clock, events
from ssmark.fees.services import (
    BlockedAction,
    FeeUnpaid,
    UnpaidBlock,
    raise_review_fee,
    refuse_if_unpaid,
)
from ssmark.licences.services import renewal_ended

from .. import assessment
from ..models import Application, ApplicationStatus, Claim, ItemAnswer, Submission
from ..states import transition
from .common import _lock_editable, _require_applicant, refuse_unbacked_claim
from .errors import (
    ERROR_INCIDENTS_NOT_DECLARED,
    ERROR_NOT_EDITABLE,
    ApplicationError,
)
from .incidents import incidents_declared
from .scans import check_opinions_complete

# The fee blocks' own sentences say what is owed and what to do (request the invoice, pay it).
ERROR_REVIEW_FEE_FIRST = "%(reasons)s"


class SubmissionFeeUnpaid(ApplicationError, FeeUnpaid):
    """The application may not be submitted yet: its review fee is not paid (`blocks`)."""

    def __init__(self, message: str | Promise, blocks: list[UnpaidBlock]) -> None:
        FeeUnpaid.__init__(self, message, blocks)


# --- submit / withdraw ----------------------------------------------------------------------


def snapshot(application: Application) -> dict[str, Any]:
    """Everything submitted in a round, as plain JSON (evidence by SHA-256, not content)."""
    answers: dict[str, Any] = {}
    hashes: set[str] = set()
    for answer in (
        application.answers.select_related("item")
        .prefetch_related("evidence")
        .order_by("item__position")
    ):
        evidence = []
        for ev in answer.evidence.all():
            evidence.append(
                {
                    "kind": ev.kind,
                    "name": ev.original_name,
                    "sha256": ev.sha256,
                    "size": ev.size,
                    "content_type": ev.content_type,
                    "url": ev.url,
                    "signer": ev.signer,
                    "signer_name": ev.signer_name,
                    "signed_on": str(ev.signed_on or ""),
                    "statement": ev.statement,
                }
            )
            if ev.sha256:
                hashes.add(ev.sha256)
        answers[answer.item.code] = {
            "claim": answer.claim,
            "grade": answer.grade,
            "explanation": answer.explanation,
            "evidence": evidence,
        }
    scan_reports: list[dict[str, Any]] = [
        {
            "name": r.original_name,
            "sha256": r.sha256,
            "format": r.format,
            "scanned_on": str(r.scanned_on or ""),
        }
        for r in application.scan_reports.all()
    ]
    statements: list[dict[str, Any]] = [
        {
            "host": s.host,
            "port": s.port,
            "check": s.check_name,
            "statement": s.statement,
            "signer_name": s.signer_name,
            "sha256": s.sha256,
        }
        for s in application.finding_statements.all()
    ]
    audits: list[dict[str, Any]] = [
        {
            "audited_on": str(a.audited_on),
            "auditor": a.auditor,
            "auditor_kind": a.auditor_kind,
            "covered": list(a.covered),
            "name": a.original_name,
            "sha256": a.sha256,
        }
        for a in application.audits.all()
    ]
    hashes.update(r.sha256 for r in application.scan_reports.all() if r.sha256)
    hashes.update(s.sha256 for s in application.finding_statements.all() if s.sha256)
    hashes.update(a.sha256 for a in application.audits.all() if a.sha256)
    return {
        "criteria_set": application.criteria_set.set_id,
        "review_type": application.review_type,
        "service_name": application.service_name,
        "contacts": {
            "responsible_manager": application.responsible_manager,
            "responsible_manager_email": application.responsible_manager_email,
            "pim_manager": application.pim_manager,
            "pim_manager_email": application.pim_manager_email,
        },
        "answers": answers,
        "scan_reports": scan_reports,
        "host_roles": sorted(
            f"{h}:{r}" for h, r in application.host_roles.values_list("host", "role")
        ),
        "finding_statements": statements,
        "audits": audits,
        "no_incidents": application.no_incidents,
        "incidents": [
            {
                "kind": i.kind,
                "occurred_on": str(i.occurred_on),
                "summary": i.summary,
                "measures": i.measures,
            }
            for i in application.incidents.all()
        ],
        "hashes": sorted(hashes),
    }


def changed_items(previous: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """Item codes whose claim, grade, explanation or evidence differ between two snapshots
    (for the reviewer's "what changed since the last round")."""
    old, new = previous.get("answers", {}), current.get("answers", {})
    return sorted(code for code in set(old) | set(new) if old.get(code) != new.get(code))


@transaction.atomic
def submit(*, actor: Any, application: Application) -> Submission:
    """Submit (draft → submitted) or resubmit (returned → resubmitted) to the reception body.

    Requires the incident declaration. Locks the answers (the new state is not editable),
    records today's date (Asia/Tokyo) as the submission date the scan freshness rule counts
    from, keeps a snapshot of the round and sends `application_submitted`.
    """
    current = _lock_editable(actor, application)
    if not incidents_declared(current):
        raise ApplicationError(ERROR_INCIDENTS_NOT_DECLARED)
    scan_item = assessment.scan_item(current)
    if scan_item is not None:
        # Issue 9.5: every warning-level finding needs its 意見書 before submission.
        check_opinions_complete(current)
    for item in (scan_item, assessment.security_audit_item(current)):
        if item is not None:
            claimed = ItemAnswer.objects.filter(application=current, item=item, claim=Claim.MET)
            if claimed.exists():
                refuse_unbacked_claim(current, item)
    # The review fee is due by the submission (「使用許諾申請書の提出時まで」): unless the fee
    # schedule relaxes this, the applicant requests its invoice first and it must be paid.
    if current.status != ApplicationStatus.RETURNED:
        refuse_if_unpaid(
            action=BlockedAction.SUBMIT_APPLICATION,
            application=current,
            message=ERROR_REVIEW_FEE_FIRST,
            refusal=SubmissionFeeUnpaid,
        )
    resubmission = current.status == ApplicationStatus.RETURNED
    to_status = ApplicationStatus.RESUBMITTED if resubmission else ApplicationStatus.SUBMITTED
    today = clock.today()
    number = (current.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    transition(
        application,
        to_status=to_status,
        actor=actor,
        action="ssmark.application.resubmitted" if resubmission else "ssmark.application.submitted",
        data={"round": number, "submitted_on": str(today)},
    )
    first = current.first_submitted_on or today
    Application.objects.filter(pk=application.pk).update(
        submitted_on=today, first_submitted_on=first, updated=timezone.now()
    )
    application.submitted_on, application.first_submitted_on = today, first
    try:
        submission = Submission.objects.create(
            application=application,
            number=number,
            submitted_on=today,
            submitted_by=actor,
            snapshot=snapshot(application),
        )
    except IntegrityError:  # pragma: no cover - the row lock makes this unreachable
        raise ApplicationError(ERROR_NOT_EDITABLE, status=to_status) from None
    if not resubmission:
        # The review fee is due by the first submission (a resubmission raises nothing); the
        # first review waits for it (fees.refuse_if_unpaid). See docs/architecture.md.
        raise_review_fee(application=application, actor=actor)
    events.application_submitted.send(
        sender=Application, actor=actor, application=application, resubmission=resubmission
    )
    return submission


@transaction.atomic
def withdraw(*, actor: Any, application: Application, reason: str = "") -> Application:
    """The applicant withdraws the application (from any state that allows it)."""
    _require_applicant(actor, application)
    transition(
        application,
        to_status=ApplicationStatus.WITHDRAWN,
        actor=actor,
        action="ssmark.application.withdrawn",
        comment=reason.strip(),
    )
    # A withdrawn renewal puts its licence back from "renewal pending" to active (explicitly
    # here, not by a receiver: see docs/architecture.md on this upward call).
    renewal_ended(application=application, actor=actor)
    events.application_withdrawn.send(sender=Application, actor=actor, application=application)
    return application
