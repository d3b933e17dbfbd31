"""The committee's page per application, over a real first review (seed catalog, the reviews
services): worksheet vs claims, official verdict, override and reason, incidents, scan gate."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone

from ssmark.accounts.models import Organisation, User
from ssmark.applications import assessment
from ssmark.applications import services as app_services
from ssmark.applications.models import Application, ApplicationStatus, Claim, ItemAnswer
from ssmark.catalog.models import CriteriaSet, Item, ItemKind
from ssmark.catalog.services import sync_sets
from ssmark.committee import dossier
from ssmark.committee.models import AgendaItem, Session
from ssmark.criteria import discover
from ssmark.reviews import services as review_services
from ssmark.reviews.models import FindingValue, ReviewFinding

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db: None) -> CriteriaSet:
    sync_sets(discover())
    return CriteriaSet.objects.get(set_id="isp-2010")


def _claims(application: Application, user: User) -> None:
    items = Item.objects.filter(criteria_set_id=application.criteria_set_id)
    rows = []
    for item in items:
        graded = item.kind_for(application.review_type) == ItemKind.GRADED
        claim = "" if graded else (Claim.UNMET if item.code == "2-1-1" else Claim.MET)
        rows.append(
            ItemAnswer(
                application=application,
                item=item,
                claim=claim,
                grade=4 if graded else None,
                explanation="…",
                updated_by=user,
                version=1,
            )
        )
    ItemAnswer.objects.bulk_create(rows)


@pytest.fixture
def passed_with_override(
    catalog: CriteriaSet,
    users: dict[str, User],
    orgs: dict[str, Organisation],
    make_session: Callable[..., Session],
) -> Application:
    """Sample Net's application through the real first review: every claim met but 2-1-1;
    the reviewer finds 1-1-2 not met (differs from the claim) and 2-1-1 not met (mandatory),
    and passes it by override with a reason. A session is planned before the pass."""
    make_session(timezone.localdate() + datetime.timedelta(days=30))
    alice, ren = users["alice"], users["ren"]
    application = app_services.create_application(
        actor=alice, service_name="サンプル光ネクスト", reception_body=orgs["JAIPA"]
    )
    _claims(application, alice)
    # 1-1-2 may be claimed met only with every audit item covered (issue 9.6).
    app_services.record_audit(
        actor=alice,
        application=application,
        audited_on=timezone.localdate() - datetime.timedelta(days=30),
        auditor="内部監査室",
        auditor_kind="internal",
        covered=sorted(assessment.security_audit_item_codes(application)),
    )
    app_services.declare_incident(
        actor=alice,
        application=application,
        kind="outage",
        occurred_on=timezone.localdate() - datetime.timedelta(days=40),
        summary="DNSサーバの障害で2時間接続不可",
        measures="冗長構成に変更",
    )
    app_services.submit(actor=alice, application=application)
    review_services.assign_reviewer(actor=users["rin"], application=application, reviewer=ren)
    for finding in ReviewFinding.objects.filter(application=application).select_related("item"):
        graded = finding.item.kind_for(application.review_type) == ItemKind.GRADED
        value = FindingValue.MET
        if finding.item.code in ("1-1-2", "2-1-1"):
            value = FindingValue.NOT_MET
        review_services.record_finding(
            actor=ren,
            application=application,
            item=finding.item,
            finding="" if graded else value,
            grade=4 if graded else None,
            comment="監査報告書が1年より古い" if finding.item.code == "1-1-2" else "",
            expected_version=finding.version,
        )
    review_services.decide(
        actor=ren,
        application=application,
        decision="passed",
        override=True,
        override_reason="診断は再実施済みで、報告書は委員会で確認する",
    )
    application.refresh_from_db()
    return application


def test_passing_the_real_first_review_puts_it_on_the_agenda(
    passed_with_override: Application,
) -> None:
    assert passed_with_override.status == ApplicationStatus.FIRST_REVIEW_PASSED
    item = AgendaItem.objects.get(application=passed_with_override)
    assert item.decision == "" and item.position == 1


def test_dossier_shows_findings_against_claims(passed_with_override: Application) -> None:
    d = dossier.build(passed_with_override)
    assert d.first_review is not None and d.first_review.override
    codes = {row.item.code: row for row in d.rows}
    assert codes["1-1-2"].differs and codes["1-1-2"].comment == "監査報告書が1年より古い"
    assert not codes["2-1-1"].differs  # claimed not met, found not met
    assert not codes["1-1-1"].differs
    assert [row.item.code for row in d.differing] == ["1-1-2"]
    assert d.verdict is not None and not d.verdict.passed
    assert "2-1-1" in d.verdict.unmet_mandatory
    assert d.scan.state == "no_report"
    assert [i.summary for i in d.incidents] == ["DNSサーバの障害で2時間接続不可"]


@pytest.mark.parametrize("name", ["kei", "sue", "ada"])
def test_committee_page_shows_everything(
    passed_with_override: Application, client_for: Callable[[str], object], name: str
) -> None:
    item = AgendaItem.objects.get(application=passed_with_override)
    html = client_for(name).get(reverse("committee:item", args=[item.pk])).content.decode()
    for expected in (
        "サンプル光ネクスト",
        "診断は再実施済みで、報告書は委員会で確認する",
        "判定を変更して合格",
        "監査報告書が1年より古い",
        "自己評価と相違",
        "DNSサーバの障害で2時間接続不可",
        "冗長構成に変更",
        'data-testid="verdict"',
        "2-1-1",
        'data-testid="scan-gate"',
        "一次審査員のワークシート",
    ):
        assert expected in html, expected


@pytest.mark.parametrize("name", ["alice", "bob", "charlie", "rin", "ren"])
def test_applicants_and_first_review_staff_get_404(
    passed_with_override: Application, client_for: Callable[[str], object], name: str
) -> None:
    item = AgendaItem.objects.get(application=passed_with_override)
    response = client_for(name).get(reverse("committee:item", args=[item.pk]))
    assert response.status_code == 404
