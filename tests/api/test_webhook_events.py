"""Each domain event becomes a queued delivery, with the change, for the organisations that
handle the object: licence issued and lapsed, application status changes, invoices issued and
paid, bulletins published."""

from __future__ import annotations

import datetime

import pytest

from ssmark.core import clock
from ssmark.fees.services import record_payment
from ssmark.webhooks import services
from ssmark.webhooks.models import Delivery, EventType


@pytest.fixture(autouse=True)
def _allow_local(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSMARK_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def endpoints(users, orgs):  # type: ignore[no-untyped-def]
    """Every event, for Sample Net, JAIPA, TELESA and the secretariat."""
    made = {}
    for org, who in (("sample-net", "alice"), ("JAIPA", "rin"), ("TELESA", "tomo")):
        made[org], _ = services.create_endpoint(
            actor=users[who], organisation=orgs[org], url="http://127.0.0.1:9/", events=EventType
        )
    made["SECRETARIAT"], _ = services.create_endpoint(
        actor=users["sue"],
        organisation=orgs["SECRETARIAT"],
        url="http://127.0.0.1:9/",
        events=EventType,
    )
    return made


def received(endpoint) -> list[str]:  # type: ignore[no-untyped-def]
    rows = Delivery.objects.filter(endpoint=endpoint).select_related("event").order_by("pk")
    return [d.event.type for d in rows]


def test_application_status_and_invoices(endpoints, draft, submit_now, users):
    submit_now(draft)
    mine = received(endpoints["sample-net"])
    assert "application.status_changed" in mine and "invoice.issued" in mine
    assert "application.status_changed" in received(endpoints["JAIPA"])
    assert received(endpoints["TELESA"]) == []
    change = Delivery.objects.filter(
        endpoint=endpoints["sample-net"], event__type="application.status_changed"
    ).get()
    data = change.event.payload["data"]
    assert (data["from"], data["to"], data["application"]) == ("draft", "submitted", draft.pk)
    from ssmark.fees.models import Invoice

    invoice = Invoice.objects.get(application=draft)
    record_payment(
        invoice=invoice,
        received_on=clock.today(),
        amount=invoice.total - 1,
        method="bank_transfer",
        actor=users["rin"],
    )
    assert "invoice.paid" not in received(endpoints["sample-net"])  # partly paid
    record_payment(
        invoice=invoice, received_on=clock.today(), amount=1, method="cash", actor=users["rin"]
    )
    assert received(endpoints["sample-net"]).count("invoice.paid") == 1
    assert "invoice.paid" in received(endpoints["JAIPA"])


def test_a_draft_withdrawn_is_not_told_to_the_reception_body(endpoints, draft, users):
    from ssmark.applications import services as applicant

    applicant.withdraw(actor=users["alice"], application=draft)
    assert received(endpoints["sample-net"]) == ["application.status_changed"]
    assert received(endpoints["JAIPA"]) == [] and received(endpoints["SECRETARIAT"]) == []


def test_licence_issued_lapsed_and_a_bulletin(endpoints, request, users, orgs):
    licence = request.getfixturevalue("issue")(service_name="イベント光")
    for org in ("sample-net", "JAIPA", "SECRETARIAT"):
        assert received(endpoints[org]) == ["licence.issued"], org
    assert received(endpoints["TELESA"]) == []
    issued = Delivery.objects.filter(endpoint=endpoints["sample-net"]).get().event
    assert issued.event_id.startswith("evt_")
    assert issued.payload["data"]["licence"] == licence.number

    from ssmark.notifications.models import Bulletin
    from ssmark.notifications.services import send_bulletin

    bulletin = Bulletin.objects.create(title="注意喚起", body="本文", created_by=users["sue"])
    send_bulletin(bulletin=bulletin, actor=users["sue"])
    assert "bulletin.published" in received(endpoints["sample-net"])
    assert "bulletin.published" in received(endpoints["SECRETARIAT"])
    assert "bulletin.published" not in received(endpoints["TELESA"])

    from ssmark.licences.services.daily import run_daily

    run_daily(today=licence.valid_until + datetime.timedelta(days=1))
    assert received(endpoints["sample-net"])[-1] == "licence.lapsed"
    # the same event id for every endpoint that got it
    lapsed = Delivery.objects.filter(event__type="licence.lapsed")
    assert lapsed.count() == 3 and len({d.event_id for d in lapsed}) == 1


def test_licence_renewed(endpoints, request, users):
    from ssmark.licences.services import issue_licence, start_renewal
    from tests.licences.test_licence_renewal import IN_WINDOW, _approve, _pay_annual_fees

    licence = request.getfixturevalue("licence")
    app = start_renewal(licence=licence, actor=users["alice"], today=IN_WINDOW)
    _approve(app, users)
    _pay_annual_fees(licence, users)
    issue_licence(application=app, actor=users["sue"], approved_on=datetime.date(2027, 11, 25))
    got = received(endpoints["sample-net"])
    assert got[0] == "licence.issued" and got[-1] == "licence.renewed"
    renewed = Delivery.objects.filter(event__type="licence.renewed").first()
    assert renewed is not None and renewed.event.payload["data"]["licence"] == licence.number
