"""One renewal route, from the licence, that says truthfully what was carried over, item by
item (issue 15): the licence page's message counts the answers carried over (or says none
could be), each item of the renewal says whether it was carried over, and the new-application
form no longer offers a renewal that is tied to no licence."""

from __future__ import annotations

import datetime

from django.contrib.messages import get_messages
from django.utils import translation

from ssmark.applications.models import Application, Claim, ItemAnswer
from ssmark.catalog.models import Item

IN_WINDOW = datetime.date(2027, 6, 1)


def said(response) -> str:
    with translation.override("ja"):
        return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_message_counts_what_was_carried_over(licence, users, client_for, freeze_today):
    freeze_today(IN_WINDOW)
    previous = licence.application
    item = Item.objects.get(criteria_set=previous.criteria_set, code="1-1-1")
    ItemAnswer.objects.create(application=previous, item=item, claim=Claim.MET, explanation="方針")
    alice = client_for("alice")
    r = alice.post(f"/licences/manage/{licence.number}/renew/", HTTP_ACCEPT_LANGUAGE="ja")
    app = Application.objects.get(review_type="renewal")
    assert r.status_code == 302 and r["Location"].endswith(f"/applications/{app.pk}/")
    assert "3 項目のうち 1 項目" in said(r)
    assert app.answers.filter(carried_over=True).count() == 1


def test_nothing_carried_over_is_said_so(licence, client_for, freeze_today):
    freeze_today(IN_WINDOW)
    r = client_for("alice").post(
        f"/licences/manage/{licence.number}/renew/", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert "引き継げた回答はありません" in said(r)
    assert "引継ぎました" not in said(r)


def test_the_new_application_form_offers_no_renewal(users, client_for):
    html = client_for("alice").get("/applications/new/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'name="review_type"' not in html and 'name="renew_from"' not in html
    assert 'id="renewal-hint"' in html
