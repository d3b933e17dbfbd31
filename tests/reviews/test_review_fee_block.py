"""The fee schedule's rule first_review_not_started_until_review_fee_paid: with it on, the first
review of a submitted application does not start until the review fee is paid."""

from __future__ import annotations

from pathlib import Path

import pytest

from ssmark.applications.models import ApplicationStatus
from ssmark.core import clock
from ssmark.core.models import AuditEntry
from ssmark.fees import services as fees
from ssmark.fees.models import Invoice
from ssmark.reviews import services
from ssmark.reviews.models import FirstReview
from tests.fees.factories import write_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_fee_rule(settings, tmp_path: Path) -> None:
    path = write_schedule(tmp_path / "schedules.yaml", {"block_review": "true"})
    settings.SSMARK_FEE_SCHEDULE_FILE = str(path)


def review_fee(application) -> Invoice:
    return Invoice.objects.get(application=application, fee_kind__in=fees.REVIEW_KINDS)


def pay(invoice: Invoice, users) -> None:
    fees.record_payment(
        invoice=invoice,
        received_on=clock.today(),
        amount=fees.balance(invoice).outstanding,
        method="bank_transfer",
        actor=users["rin"],
    )


def nothing_started(application) -> bool:
    application.refresh_from_db()
    return (
        application.status == ApplicationStatus.SUBMITTED
        and not FirstReview.objects.filter(application=application).exists()
        and not AuditEntry.objects.filter(action="ssmark.application.review_started").exists()
    )


def test_unpaid_review_fee_refuses_to_start_the_review_and_changes_nothing(
    submitted, users, review_fee_rule
):
    application = submitted()
    invoice = review_fee(application)
    with pytest.raises(services.FeeUnpaid) as exc:
        services.assign_reviewer(actor=users["rin"], application=application, reviewer=users["ren"])
    assert invoice.number in str(exc.value)
    assert str(exc.value).startswith(str(services.ERROR_FEE_UNPAID).split("%")[0])
    assert [b.invoice for b in exc.value.blocks] == [invoice]
    assert nothing_started(application)

    pay(invoice, users)
    services.assign_reviewer(actor=users["rin"], application=application, reviewer=users["ren"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_FIRST_REVIEW


def test_with_the_shipped_schedule_the_review_starts_unpaid(submitted, users):
    application = submitted()
    assert fees.balance(review_fee(application)).outstanding > 0
    services.assign_reviewer(actor=users["rin"], application=application, reviewer=users["ren"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_FIRST_REVIEW


def test_queue_and_worksheet_show_the_unpaid_fee_and_the_refusal(
    submitted, users, client_for, review_fee_rule
):
    application = submitted()
    invoice = review_fee(application)
    rin = client_for("rin")
    queue = rin.get("/reviews/").content.decode()
    assert 'data-testid="fee-unpaid"' in queue and invoice.number in queue
    sheet = rin.get(f"/reviews/{application.pk}/").content.decode()
    assert 'data-testid="fee-unpaid"' in sheet and invoice.number in sheet

    response = rin.post(
        f"/reviews/{application.pk}/assign/",
        {"reviewer": users["ren"].pk, "next": "worksheet"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(f"/reviews/{application.pk}/")
    page = response.content.decode()
    assert 'class="msg-error"' in page and invoice.number in page
    assert nothing_started(application)

    pay(invoice, users)
    assert 'data-testid="fee-unpaid"' not in rin.get("/reviews/").content.decode()
    rin.post(f"/reviews/{application.pk}/assign/", {"reviewer": users["ren"].pk})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_FIRST_REVIEW


def test_reassigning_a_review_already_started_does_not_wait_for_the_fee(
    in_review, users, review_fee_rule
):
    """Only starting the first review waits for the fee."""
    assert fees.balance(review_fee(in_review)).outstanding > 0
    services.assign_reviewer(actor=users["rin"], application=in_review, reviewer=users["ren"])
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW
