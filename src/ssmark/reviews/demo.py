"""Demo first reviews at JAIPA, by the demo reviewer `shinsa` (assigned by `uketsuke`):

- one application in first review with some findings recorded,
- one returned for correction with comments on two items,
- one passed to the second review (so the committee has something to decide).

Runs after `applications.demo`: it advances the submitted JAIPA applications that demo made
(always leaving one submitted, for the reception staff to assign), and makes its own for what
is missing. Idempotent: each of the three is recognised by what `shinsa` did, never made twice.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from ssmark.accounts.models import Organisation, User
from ssmark.applications import assessment
from ssmark.applications import services as app_services
from ssmark.applications.models import Application, ApplicationStatus, Claim, ItemAnswer
from ssmark.catalog.models import Item, ItemKind

from . import services
from .models import Decision, FindingValue, FirstReview, ReturnRound, ReviewFinding

REVIEWER, RECEPTION, APPLICANT = "shinsa", "uketsuke", "carol"

# Service names of the applications this module makes when applications.demo left too few.
OWN = {
    "in_review": "みなと光 ファミリー",
    "returned": "みなと光 マンション",
    "passed": "みなと光 ビジネス",
}

SCAN_HOSTS = {
    "dns": "192.0.2.53",
    "mail": "192.0.2.25",
    "web": "192.0.2.80",
    "auth": "192.0.2.18",
    "router": "192.0.2.1",
}

RETURN_COMMENTS = {
    "1-1-1": "情報セキュリティポリシーに「重要情報の廃棄（機器の廃棄を含む）」の記載が見当たりません。"
    "該当箇所を示すか、改訂版を添付してください。",
    "4-2-2": "解約方法の説明ページのURLが表示できませんでした。現在の公開URLを添付してください。",
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _clean_scan() -> bytes:
    """A small vulnerability-diagnosis report (Nuclei JSON Lines) from now: nothing to fix."""
    when = datetime.datetime.now(datetime.UTC).isoformat()
    return "".join(
        json.dumps(
            {
                "template-id": f"info-{role}",
                "info": {"name": f"check {role}"},
                "host": ip,
                "ip": ip,
                "port": "443",
                "type": "http",
                "timestamp": when,
            }
        )
        + "\n"
        for role, ip in SCAN_HOSTS.items()
    ).encode()


def _make_submitted(name: str, applicant: User, jaipa: Organisation) -> Application:
    """A complete application of the demo applicant, submitted to JAIPA."""
    existing = Application.objects.filter(
        organisation=applicant.organisation, service_name=name
    ).first()
    if existing is not None:
        return existing
    application = app_services.create_application(
        actor=applicant,
        service_name=name,
        reception_body=jaipa,
        responsible_manager="港 太郎",
        responsible_manager_email="manager@minato-isp.example",
        pim_manager="港 花子",
        pim_manager_email="privacy@minato-isp.example",
    )
    app_services.upload_scan_report(
        actor=applicant,
        application=application,
        upload=SimpleUploadedFile("diagnosis.jsonl", _clean_scan(), "application/json"),
    )
    app_services.set_host_roles(
        actor=applicant,
        application=application,
        roles={ip: [role] for role, ip in SCAN_HOSTS.items()},
    )
    # 1-1-2 may be claimed met only when the audits cover every audit item (issue 9.6).
    from ssmark.applications import assessment
    from ssmark.core import clock

    app_services.record_audit(
        actor=applicant,
        application=application,
        audited_on=clock.today() - datetime.timedelta(days=30),
        auditor="内部監査室",
        auditor_kind="internal",
        covered=sorted(assessment.security_audit_item_codes(application)),
    )
    answers = []
    for item in Item.objects.filter(criteria_set_id=application.criteria_set_id):
        graded = item.kind_for(application.review_type) == ItemKind.GRADED
        answers.append(
            ItemAnswer(
                application=application,
                item=item,
                claim="" if graded else Claim.MET,
                grade=4 if graded else None,
                explanation=f"{item.code}：社内規程および添付資料のとおり対応しています。",
                updated_by=applicant,
                version=1,
            )
        )
    ItemAnswer.objects.bulk_create(answers)
    app_services.declare_no_incidents(actor=applicant, application=application)
    from ssmark.fees.demo import pay_review_fee_before_submission

    pay_review_fee_before_submission(application, applicant)
    app_services.submit(actor=applicant, application=application)
    application.refresh_from_db()
    return application


def _candidates(jaipa: Organisation) -> Iterator[Application]:
    """Submitted JAIPA applications of applications.demo, leaving one for reception."""
    submitted = list(
        Application.objects.filter(
            reception_body=jaipa, status=ApplicationStatus.SUBMITTED
        ).order_by("pk")
    )
    yield from submitted[1:]


def _find(application: Application, reviewer: User, codes: list[str] | None = None) -> int:
    """shinsa records findings that agree with the applicant's answers (unanswered: skipped)."""
    answers = {a.item_id: a for a in ItemAnswer.objects.filter(application=application)}
    done = 0
    for finding in ReviewFinding.objects.filter(application=application).select_related("item"):
        item = finding.item
        answer = answers.get(item.pk)
        if (codes is not None and item.code not in codes) or answer is None:
            continue
        if item.kind_for(application.review_type) == ItemKind.GRADED:
            # Graded at review (7-1-x): the applicant describes, the reviewer grades.
            value, grade, comment = (
                "",
                answer.grade if answer.grade is not None else 4,
                "管理策の記載内容を評価基準に照らして確認した。",
            )
        elif answer.claim == Claim.MET:
            value, grade, comment = FindingValue.MET, None, "提出書類で確認した。"
        elif answer.claim == Claim.UNMET:
            value, grade, comment = FindingValue.NOT_MET, None, "申請者の自己評価のとおり未対応。"
        else:
            continue
        services.record_finding(
            actor=reviewer,
            application=application,
            item=item,
            finding=value,
            grade=grade,
            comment=comment,
            expected_version=finding.version,
        )
        done += 1
    return done


@transaction.atomic
def load(out: TextIO) -> None:
    reviewer, reception, applicant = _user(REVIEWER), _user(RECEPTION), _user(APPLICANT)
    jaipa = Organisation.objects.filter(code="JAIPA").first()
    if None in (reviewer, reception, applicant, jaipa):
        out.write("reviews demo: skipped (demo users or JAIPA missing)\n")
        return
    assert reviewer and reception and applicant and jaipa
    have = {
        "in_review": FirstReview.objects.filter(reviewer=reviewer, decision="")
        .exclude(application__return_rounds__isnull=False)
        .exists(),
        "returned": ReturnRound.objects.filter(returned_by=reviewer).exists(),
        "passed": FirstReview.objects.filter(reviewer=reviewer, decision=Decision.PASSED).exists(),
    }
    pool = _candidates(jaipa)
    made = []
    for target in ("passed", "returned", "in_review"):
        if have[target]:
            continue
        application = next(pool, None)
        # Passing needs answers (and a diagnosis) that pass; otherwise use one of our own.
        if (
            target == "passed"
            and application is not None
            and not assessment.readiness(application).verdict.passed
        ):
            application = None
        if application is None:
            application = _make_submitted(OWN[target], applicant, jaipa)
        services.assign_reviewer(actor=reception, application=application, reviewer=reviewer)
        if target == "in_review":
            codes = [
                i.code
                for i in Item.objects.filter(criteria_set_id=application.criteria_set_id).order_by(
                    "position"
                )[:12]
            ]
            _find(application, reviewer, codes)
        elif target == "returned":
            _find(application, reviewer)
            services.return_for_correction(
                actor=reviewer,
                application=application,
                comments=RETURN_COMMENTS,
                overall_comment="2項目について確認資料の追加・修正をお願いします。",
            )
        else:
            _find(application, reviewer)
            services.decide(
                actor=reviewer,
                application=application,
                decision=Decision.PASSED,
                reasons="全項目を提出書類と公開ページで確認し、審査基準を満たしていることを確認した。",
            )
        made.append(f"{application.service_name} → {application.get_status_display()}")
    if made:
        out.write("reviews demo: " + "; ".join(made) + "\n")
    else:
        out.write("reviews demo: first reviews up to date\n")
