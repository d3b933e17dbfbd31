"""Issue 9, point 9: the review fee is due by the submission (「使用許諾申請書の提出時まで」).
By default (the shipped fee schedule) the applicant requests the invoice from the application
and the submission waits until it is paid; the schedule's setting relaxes this."""

from __future__ import annotations

import pytest

from ssmark.applications import services
from ssmark.fees import services as fees
from ssmark.fees.models import FeeKind, Invoice, PaymentMethod


def _owed(draft):
    return Invoice.objects.filter(application=draft, fee_kind=FeeKind.REVIEW)


@pytest.mark.review_fee_first
def test_submission_waits_until_the_requested_review_fee_is_paid(draft, users, client_for):
    alice = users["alice"]
    services.declare_no_incidents(actor=alice, application=draft)
    with pytest.raises(services.ApplicationError) as exc:
        services.submit(actor=alice, application=draft)
    assert exc.value.text == str(fees.BLOCK_REVIEW_FEE_NOT_REQUESTED)
    draft.refresh_from_db()
    assert draft.status == "draft" and not _owed(draft).exists()

    client = client_for("alice")
    page = client.get(f"/applications/{draft.pk}/submit/").content.decode()
    assert "審査料金の請求書を発行する" in page
    response = client.post(f"/fees/applications/{draft.pk}/review-fee/")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/applications/{draft.pk}/submit/"
    )
    invoice = _owed(draft).get()
    assert invoice.issuer.code == "JAIPA" and invoice.total == 80000
    # Asking twice issues nothing more.
    client.post(f"/fees/applications/{draft.pk}/review-fee/")
    assert _owed(draft).count() == 1
    page = client.get(f"/applications/{draft.pk}/submit/").content.decode()
    assert invoice.number in page and "80000 円" in page

    with pytest.raises(services.ApplicationError) as exc:
        services.submit(actor=alice, application=draft)
    assert invoice.number in exc.value.text
    draft.refresh_from_db()
    assert draft.status == "draft"

    fees.record_payment(
        invoice=invoice,
        received_on=invoice.issued_on,
        amount=80000,
        method=PaymentMethod.BANK_TRANSFER,
        actor=users["rin"],
    )
    page = client.get(f"/applications/{draft.pk}/submit/").content.decode()
    assert "審査料金は支払済みです" in page
    services.submit(actor=alice, application=draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert _owed(draft).count() == 1  # the paid invoice is the one; none raised at submission


@pytest.mark.review_fee_first
def test_only_the_applicant_company_requests_the_invoice(draft, client_for):
    assert (
        client_for("charlie").post(f"/fees/applications/{draft.pk}/review-fee/").status_code == 404
    )
    assert client_for("rin").post(f"/fees/applications/{draft.pk}/review-fee/").status_code == 404
    assert client_for("alice").get(f"/fees/applications/{draft.pk}/review-fee/").status_code == 405
    assert not _owed(draft).exists()


def test_the_schedule_setting_relaxes_it(draft, users):
    """(Run on the schedule with submission_not_made_until_review_fee_paid: false.)"""
    alice = users["alice"]
    services.declare_no_incidents(actor=alice, application=draft)
    services.submit(actor=alice, application=draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert _owed(draft).count() == 1  # raised at the submission instead
