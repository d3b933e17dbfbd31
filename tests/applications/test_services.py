"""The applicant's service functions: each rule, and refusals that change nothing."""

from __future__ import annotations

import datetime

import pytest

from ssmark.applications import services
from ssmark.applications.models import (
    Application,
    ApplicationStatus,
    Claim,
    Evidence,
    ItemAnswer,
    Signer,
    Submission,
)
from ssmark.applications.states import IllegalTransition
from ssmark.catalog.models import ReviewType
from ssmark.core import events
from ssmark.core.models import AuditEntry
from tests.applications.factories import PDF_BYTES, upload


def trail(application: Application) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            target_type="applications.application", target_id=str(application.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_create_pins_the_set_in_force_and_records_it(draft, catalog, users):
    assert draft.criteria_set == catalog
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.organisation == users["alice"].organisation
    assert trail(draft) == ["ssmark.application.created"]


def test_create_refused_for_non_applicants_and_to_a_non_reception_body(catalog, users, orgs):
    with pytest.raises(services.ApplicationError) as exc:
        services.create_application(
            actor=users["rin"], service_name="x", reception_body=orgs["JAIPA"]
        )
    assert exc.value.text == str(services.ERROR_NOT_APPLICANT)
    with pytest.raises(services.ApplicationError) as exc:
        services.create_application(
            actor=users["alice"], service_name="x", reception_body=orgs["other-isp"]
        )
    assert exc.value.text == str(services.ERROR_NOT_RECEPTION_BODY)
    assert Application.objects.count() == 0


def test_create_refused_when_no_set_is_in_force(catalog, users, orgs):
    with pytest.raises(services.ApplicationError) as exc:
        services.create_application(
            actor=users["alice"],
            service_name="x",
            reception_body=orgs["JAIPA"],
            today=datetime.date(1999, 1, 1),
        )
    assert exc.value.text == str(services.ERROR_NO_CRITERIA_SET)


def test_save_answer_claim_and_explanation(draft, users):
    answer = services.save_answer(
        actor=users["alice"],
        application=draft,
        item_code="1-1-1",
        claim=Claim.MET,
        explanation="情報セキュリティ基本方針を策定済み",
    )
    assert (answer.claim, answer.grade, answer.version) == ("met", None, 1)
    assert answer.updated_by == users["alice"]
    assert "ssmark.application.answer_saved" in trail(draft)


def test_items_graded_at_review_take_a_description_not_a_grade(draft, users):
    answer = services.save_answer(
        actor=users["alice"], application=draft, item_code="7-1-1", explanation="入退室管理"
    )
    assert (answer.grade, answer.claim, answer.explanation) == (None, "", "入退室管理")
    with pytest.raises(services.ApplicationError) as exc:
        services.save_answer(actor=users["alice"], application=draft, item_code="7-1-1", grade=4)
    assert exc.value.text == str(services.ERROR_GRADED_AT_REVIEW % {"code": "7-1-1"})
    assert ItemAnswer.objects.get(application=draft, item__code="7-1-1").grade is None


def test_unknown_item_and_bad_claim_refused(draft, users):
    with pytest.raises(services.ApplicationError):
        services.save_answer(actor=users["alice"], application=draft, item_code="9-9-9")
    with pytest.raises(services.ApplicationError):
        services.save_answer(
            actor=users["alice"], application=draft, item_code="1-1-1", claim="maybe"
        )
    assert not ItemAnswer.objects.filter(application=draft).exists()


def test_other_company_and_staff_cannot_edit(draft, users):
    for name in ("charlie", "rin", "ren", "ada"):
        with pytest.raises(services.ApplicationError) as exc:
            services.save_answer(
                actor=users[name], application=draft, item_code="1-1-1", claim="met"
            )
        assert exc.value.text == str(services.ERROR_NOT_APPLICANT)
    assert not ItemAnswer.objects.filter(application=draft).exists()
    # bob is alice's colleague: allowed.
    services.save_answer(actor=users["bob"], application=draft, item_code="1-1-1", claim="met")


def test_stale_answer_is_not_overwritten(draft, users):
    first = services.save_answer(
        actor=users["alice"], application=draft, item_code="1-1-1", claim="met", explanation="A"
    )
    services.save_answer(
        actor=users["bob"],
        application=draft,
        item_code="1-1-1",
        claim="unmet",
        explanation="B",
        expected_version=first.version,
    )
    with pytest.raises(services.StaleAnswer) as exc:
        services.save_answer(
            actor=users["alice"],
            application=draft,
            item_code="1-1-1",
            claim="met",
            explanation="A2",
            expected_version=first.version,
        )
    assert exc.value.current.explanation == "B"
    assert ItemAnswer.objects.get(application=draft, item__code="1-1-1").explanation == "B"


def test_url_evidence_http_only_and_only_for_web_items(draft, users):
    alice = users["alice"]
    ev = services.add_url_evidence(
        actor=alice, application=draft, item_code="4-1-3", url="https://sample-net.example/terms"
    )
    assert ev.kind == "url"
    for bad in ("javascript:alert(1)", "ftp://x.example/", "file:///etc/passwd", "https://"):
        with pytest.raises(services.ApplicationError) as exc:
            services.add_url_evidence(actor=alice, application=draft, item_code="4-1-3", url=bad)
        assert exc.value.text == str(services.ERROR_URL_SCHEME)
    with pytest.raises(services.ApplicationError):  # 1-1-1 asks for a document only
        services.add_url_evidence(
            actor=alice, application=draft, item_code="1-1-1", url="https://x.example/"
        )
    assert Evidence.objects.count() == 1


def test_signed_declaration_signer_follows_the_item(draft, users):
    alice = users["alice"]
    ev = services.add_signed_declaration(
        actor=alice,
        application=draft,
        item_code="2-1-2",
        signer_name="山田 太郎",
        signed_on=datetime.date(2026, 10, 1),
        statement="入館は許可された者に限定しています。",
    )
    assert ev.signer == Signer.RESPONSIBLE_MANAGER
    ev = services.add_signed_declaration(
        actor=alice,
        application=draft,
        item_code="7-2-1",
        signer_name="佐藤 花子",
        signed_on=None,
        statement="個人情報保護管理者に任命されています。",
        upload=upload("宣誓書.pdf", PDF_BYTES),
    )
    assert ev.signer == Signer.PIM_MANAGER and ev.has_file and len(ev.sha256) == 64
    with pytest.raises(services.ApplicationError):  # DOC item: no declaration
        services.add_signed_declaration(
            actor=alice,
            application=draft,
            item_code="1-1-1",
            signer_name="x",
            signed_on=None,
            statement="y",
        )


def test_remove_evidence_deletes_the_file(draft, users):
    alice = users["alice"]
    ev = services.add_file_evidence(
        actor=alice, application=draft, item_code="1-1-1", upload=upload("policy.pdf", PDF_BYTES)
    )
    storage = ev.file.storage
    name = ev.file.name
    assert storage.exists(name)
    with pytest.raises(services.ApplicationError):
        services.remove_evidence(actor=users["charlie"], application=draft, evidence=ev)
    assert storage.exists(name)
    with pytest.raises(services.ApplicationError):  # evidence of another application
        other = services.create_application(
            actor=alice, service_name="別サービス", reception_body=draft.reception_body
        )
        services.remove_evidence(actor=alice, application=other, evidence=ev)
    # on_commit runs immediately outside a test transaction block only with captured hooks
    services.remove_evidence(actor=alice, application=draft, evidence=ev)
    assert not Evidence.objects.filter(pk=ev.pk).exists()


def test_submit_locks_records_date_snapshot_and_sends_event(draft, users, freeze_today):
    alice = users["alice"]
    services.save_answer(actor=alice, application=draft, item_code="1-1-1", claim="met")
    services.add_file_evidence(
        actor=alice, application=draft, item_code="1-1-1", upload=upload("p.pdf", PDF_BYTES)
    )
    services.declare_no_incidents(actor=alice, application=draft)
    received = []
    events.application_submitted.connect(
        lambda **kw: received.append(kw), dispatch_uid="t", weak=False
    )
    freeze_today(datetime.date(2026, 11, 28))
    try:
        submission = services.submit(actor=alice, application=draft)
    finally:
        events.application_submitted.disconnect(dispatch_uid="t")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.SUBMITTED
    assert draft.submitted_on == draft.first_submitted_on == datetime.date(2026, 11, 28)
    assert submission.number == 1
    snap = submission.snapshot
    assert snap["answers"]["1-1-1"]["claim"] == "met"
    assert snap["answers"]["1-1-1"]["evidence"][0]["sha256"] in snap["hashes"]
    assert snap["no_incidents"] is True
    assert len(received) == 1 and received[0]["resubmission"] is False
    assert received[0]["application"].pk == draft.pk and received[0]["actor"] == alice
    assert "ssmark.application.submitted" in trail(draft)
    # Locked: every edit is refused and changes nothing.
    for call in (
        lambda: services.save_answer(
            actor=alice, application=draft, item_code="1-1-1", claim="unmet"
        ),
        lambda: services.add_url_evidence(
            actor=alice, application=draft, item_code="4-1-3", url="https://x.example/"
        ),
        lambda: services.declare_incident(
            actor=alice,
            application=draft,
            kind="leak",
            occurred_on=datetime.date.today(),
            summary="s",
            measures="m",
        ),
    ):
        with pytest.raises(services.ApplicationError) as exc:
            call()
        assert exc.value.text == str(services.ERROR_NOT_EDITABLE) % {
            "status": ApplicationStatus.SUBMITTED.label
        }
    assert ItemAnswer.objects.get(application=draft, item__code="1-1-1").claim == "met"
    # Submitting twice is an illegal transition.
    with pytest.raises(services.ApplicationError):
        services.submit(actor=alice, application=draft)
    assert Submission.objects.filter(application=draft).count() == 1


def test_resubmission_after_return(draft, users, submit_now):
    from django.db import transaction

    from ssmark.applications.states import transition

    alice = users["alice"]
    submit_now(draft)
    with transaction.atomic():
        transition(
            draft, to_status=ApplicationStatus.IN_FIRST_REVIEW, actor=users["ren"], action="t"
        )
        transition(draft, to_status=ApplicationStatus.RETURNED, actor=users["ren"], action="t")
    services.save_answer(actor=alice, application=draft, item_code="1-1-3", claim="met")
    received = []
    events.application_submitted.connect(
        lambda **kw: received.append(kw), dispatch_uid="t2", weak=False
    )
    try:
        submission = services.submit(actor=alice, application=draft)
    finally:
        events.application_submitted.disconnect(dispatch_uid="t2")
    assert draft.status == ApplicationStatus.RESUBMITTED
    assert submission.number == 2
    assert received[0]["resubmission"] is True
    first, second = Submission.objects.filter(application=draft).order_by("number")
    assert services.changed_items(first.snapshot, second.snapshot) == ["1-1-3"]


def test_withdraw(draft, users):
    with pytest.raises(services.ApplicationError):
        services.withdraw(actor=users["charlie"], application=draft)
    received = []
    events.application_withdrawn.connect(
        lambda **kw: received.append(kw), dispatch_uid="w", weak=False
    )
    try:
        services.withdraw(actor=users["alice"], application=draft, reason="サービス終了のため")
    finally:
        events.application_withdrawn.disconnect(dispatch_uid="w")
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.WITHDRAWN and len(received) == 1
    with pytest.raises(IllegalTransition):
        services.withdraw(actor=users["alice"], application=draft)
    with pytest.raises(services.ApplicationError):
        services.save_answer(actor=users["alice"], application=draft, item_code="1-1-1")


def test_renewal_carries_answers_over_marked_check_again(new_application, users, submit_now):
    alice = users["alice"]
    old = new_application()
    services.save_answer(
        actor=alice, application=old, item_code="1-1-1", claim="met", explanation="基本方針"
    )
    services.add_url_evidence(
        actor=alice, application=old, item_code="4-1-3", url="https://sample-net.example/terms"
    )
    renewal = new_application(review_type=ReviewType.RENEWAL, renew_from=old)
    carried = ItemAnswer.objects.get(application=renewal, item__code="1-1-1")
    assert carried.carried_over and carried.explanation == "基本方針"
    assert Evidence.objects.filter(answer__application=renewal, kind="url").count() == 1
    services.save_answer(actor=alice, application=renewal, item_code="1-1-1", claim="met")
    carried.refresh_from_db()
    assert not carried.carried_over
