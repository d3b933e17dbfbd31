"""The API's resources act through the same rules and service functions as the pages."""

from __future__ import annotations

from ssmark.applications.models import ApplicationStatus
from ssmark.applications.services import StaleAnswer
from ssmark.core import clock
from ssmark.fees.models import Invoice
from ssmark.notifications.models import Notification
from ssmark.reviews import services as review


def test_applications_list_and_detail_with_readiness_and_verdict(
    api_for, new_application, submit_now
):
    mine = new_application(service_name="自社光")
    other = new_application(by="charlie", service_name="他社光")
    alice = api_for("alice")
    listed = alice.get("/api/v1/applications/").json()
    assert [a["service_name"] for a in listed["results"]] == ["自社光"]
    detail = alice.get(f"/api/v1/applications/{mine.pk}/").json()
    assert detail["status"] == "draft"
    assert detail["verdict"]["passed"] is False and detail["verdict"]["unanswered"]
    assert detail["readiness"]["categories"] and detail["official_verdict"] is None
    assert alice.get(f"/api/v1/applications/{other.pk}/").status_code == 404
    # staff see it only once submitted, with the first review's verdict
    rin = api_for("rin")
    assert rin.get(f"/api/v1/applications/{mine.pk}/").status_code == 404
    submit_now(mine)
    staff_view = rin.get(f"/api/v1/applications/{mine.pk}/").json()
    assert staff_view["status"] == "submitted" and staff_view["official_verdict"] is not None
    assert [a["id"] for a in rin.get("/api/v1/reviews/queue/").json()["results"]] == [mine.pk]
    assert alice.get("/api/v1/reviews/queue/").status_code == 403


def test_answers_read_and_update_while_editable(api_for, draft, submit_now):
    alice = api_for("alice")
    url = f"/api/v1/applications/{draft.pk}/answers/1-1-1/"
    saved = alice.put(
        url,
        {"claim": "met", "explanation": "規程あり"},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["claim"] == "met" and saved.json()["version"] == 1
    stale = alice.put(
        url, {"claim": "unmet", "expected_version": 0}, content_type="application/json"
    )
    assert stale.status_code == 409 and "changed by" in stale.json()["message"]
    assert stale.json()["code"] == getattr(StaleAnswer, "default_code", "stale_answer")
    bad = alice.put(url, {"claim": "maybe"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "claim"
    listed = alice.get(f"/api/v1/applications/{draft.pk}/answers/").json()
    assert [(a["item"], a["claim"]) for a in listed] == [("1-1-1", "met")]
    submit_now(draft)
    locked = alice.put(url, {"claim": "unmet"}, content_type="application/json")
    assert locked.status_code == 409
    assert alice.get(url).json()["claim"] == "met"


def test_submit_and_withdraw_through_the_services(api_for, draft, users):
    from ssmark.applications import services

    services.declare_no_incidents(actor=users["alice"], application=draft)
    assert (
        api_for("bob", read_only=True).post(f"/api/v1/applications/{draft.pk}/submit/").status_code
        == 403
    )
    submitted = api_for("alice").post(f"/api/v1/applications/{draft.pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    again = api_for("alice").post(f"/api/v1/applications/{draft.pk}/submit/")
    assert again.status_code == 409
    assert api_for("rin").post(f"/api/v1/applications/{draft.pk}/withdraw/").status_code == 403
    gone = api_for("bob").post(
        f"/api/v1/applications/{draft.pk}/withdraw/",
        {"reason": "x"},
        content_type="application/json",
    )
    assert gone.json()["status"] == "withdrawn"


def test_payment_review_return_and_decide(api_for, draft, submit_now, users):
    submit_now(draft)
    invoice = Invoice.objects.get(application=draft)
    # the holder reads its invoice; only the issuing body's staff record payments
    alice = api_for("alice")
    assert alice.get(f"/api/v1/invoices/{invoice.pk}/").json()["payment_status"] == "unpaid"
    pay = {
        "received_on": clock.today().isoformat(),
        "amount": invoice.total,
        "method": "bank_transfer",
        "reference": "振込 0001",
    }
    assert (
        alice.post(
            f"/api/v1/invoices/{invoice.pk}/payments/", pay, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        api_for("tomo")
        .post(f"/api/v1/invoices/{invoice.pk}/payments/", pay, content_type="application/json")
        .status_code
        == 404
    )
    too_much = api_for("rin").post(
        f"/api/v1/invoices/{invoice.pk}/payments/",
        {**pay, "amount": invoice.total + 1},
        content_type="application/json",
    )
    assert too_much.status_code == 409 and too_much.json()["code"] == "fees_refused"
    paid = api_for("rin").post(
        f"/api/v1/invoices/{invoice.pk}/payments/", pay, content_type="application/json"
    )
    assert paid.status_code == 201, paid.content
    assert alice.get(f"/api/v1/invoices/{invoice.pk}/").json()["payment_status"] == "paid"
    assert len(alice.get(f"/api/v1/invoices/{invoice.pk}/payments/").json()) == 1
    # the assigned reviewer returns it through the API
    review.assign_reviewer(actor=users["rin"], application=draft, reviewer=users["ren"])
    comments = {"comments": {"1-1-1": "規程の写しを添付してください"}}
    assert (
        api_for("rin")
        .post(f"/api/v1/applications/{draft.pk}/return/", comments, content_type="application/json")
        .status_code
        == 403
    )
    returned = api_for("ren").post(
        f"/api/v1/applications/{draft.pk}/return/", comments, content_type="application/json"
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == ApplicationStatus.RETURNED
    reject = api_for("ren").post(
        f"/api/v1/applications/{draft.pk}/decide/",
        {"decision": "rejected"},
        content_type="application/json",
    )
    assert reject.status_code == 409  # returned: not in first review


def test_notifications_read_and_mark_read(api_for, draft, submit_now):
    submit_now(draft)
    alice = api_for("alice")
    listed = alice.get("/api/v1/notifications/").json()["results"]
    assert listed and all(n["read_at"] is None for n in listed)
    first = listed[0]["id"]
    assert api_for("charlie").post(f"/api/v1/notifications/{first}/read/").status_code == 404
    marked = alice.post(f"/api/v1/notifications/{first}/read/")
    assert marked.status_code == 200 and marked.json()["read_at"]
    assert Notification.objects.get(pk=first).read_at is not None


def test_licences_public_without_a_token(issue, api_for):
    from django.test import Client

    from ssmark.licences.services.status import suspend_licence

    active = issue(service_name="公開光")
    suspended = issue(service_name="停止光")
    from ssmark.licences.models import Ground

    suspend_licence(licence=suspended, actor=_sue(), ground=str(Ground.values[0]), reason="調査中")
    anonymous = Client()
    numbers = [row["number"] for row in anonymous.get("/api/v1/licences/").json()["results"]]
    assert numbers == [active.number]
    assert anonymous.get(f"/api/v1/licences/{suspended.number}/").status_code == 404
    # the holder and the secretariat see their suspended licence too
    assert api_for("alice").get(f"/api/v1/licences/{suspended.number}/").status_code == 200
    assert api_for("sue").get(f"/api/v1/licences/{suspended.number}/").json()["status"] == (
        "suspended"
    )
    assert api_for("charlie").get(f"/api/v1/licences/{suspended.number}/").status_code == 404
    # writing without a token is refused
    assert anonymous.post("/api/v1/licences/").status_code == 401


def _sue():  # type: ignore[no-untyped-def]
    from ssmark.accounts.models import User

    return User.objects.get(username="sue")
