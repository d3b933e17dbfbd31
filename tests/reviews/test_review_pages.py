"""The first-review pages: who sees what (404 for the others), htmx saving, the decision form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ssmark.applications import services as app_services
from ssmark.applications.models import ApplicationStatus
from ssmark.reviews import services
from ssmark.reviews.models import FirstReview, ReturnRound, ReviewFinding

ALL = ["alice", "bob", "charlie", "rin", "tomo", "ren", "taro", "kei", "sue", "ada"]
# Who may see the worksheet of a Sample Net application at JAIPA assigned to ren.
SEES = {"rin", "ren", "kei", "sue", "ada"}


def urls_for(application, item_id: int) -> dict[str, tuple[str, str]]:
    pk = application.pk
    return {
        "worksheet": ("get", reverse("reviews:worksheet", args=[pk])),
        "history": ("get", reverse("reviews:history", args=[pk])),
        "return": ("get", reverse("reviews:return", args=[pk])),
        "assign": ("post", reverse("reviews:assign", args=[pk])),
        "resume": ("post", reverse("reviews:resume", args=[pk])),
        "finding": ("post", reverse("reviews:finding", args=[pk, item_id])),
        "decide": ("post", reverse("reviews:decide", args=[pk])),
    }


@pytest.mark.parametrize("who", ALL)
def test_every_url_with_an_id_is_404_for_those_who_may_not_see(in_review, client_for, rh, who):
    item = rh.item(in_review, "1-1-1")
    client = client_for(who)
    for name, (method, url) in urls_for(in_review, item.pk).items():
        response = getattr(client, method)(url, {})
        if who in SEES:
            assert response.status_code != 404, (who, name)
        else:
            assert response.status_code == 404, (who, name)


@pytest.mark.parametrize("who", ["rin", "kei", "sue", "ada"])
def test_those_who_only_look_cannot_act(in_review, client_for, rh, who):
    item = rh.item(in_review, "1-1-1")
    client = client_for(who)
    for name in ("finding", "decide", "resume", "return"):
        _method, url = urls_for(in_review, item.pk)[name]
        response = client.post(url, {"decision": "passed", "finding": "met", "version": 0})
        assert response.status_code == 403, (who, name)
    assert not ReviewFinding.objects.filter(application=in_review, version__gt=0).exists()
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW


@pytest.mark.parametrize("who", ["ren", "kei", "alice"])
def test_only_reception_staff_assign(in_review, client_for, users, who):
    response = client_for(who).post(
        reverse("reviews:assign", args=[in_review.pk]), {"reviewer": users["ren"].pk}
    )
    assert response.status_code in (403, 404)


def test_an_unknown_id_is_404(in_review, client_for, rh):
    client = client_for("ren")
    assert client.get(reverse("reviews:worksheet", args=[in_review.pk + 999])).status_code == 404
    # An item id that is not of the application's criteria set.
    url = reverse("reviews:finding", args=[in_review.pk, 10**6])
    assert client.post(url, {"item-1000000-version": 0}).status_code == 404


def test_a_draft_is_invisible_to_staff(catalog, users, orgs, client_for):
    draft = app_services.create_application(
        actor=users["alice"], service_name="Draft", reception_body=orgs["JAIPA"]
    )
    for who in ("rin", "ren", "kei"):
        assert client_for(who).get(reverse("reviews:worksheet", args=[draft.pk])).status_code == 404


def test_taro_sees_telesa_applications_not_jaipa(submitted, users, client_for):
    telesa = submitted(service="Telesa Net", body="TELESA")
    services.assign_reviewer(actor=users["tomo"], application=telesa, reviewer=users["taro"])
    assert client_for("taro").get(reverse("reviews:worksheet", args=[telesa.pk])).status_code == 200
    assert client_for("ren").get(reverse("reviews:worksheet", args=[telesa.pk])).status_code == 404
    assert client_for("rin").get(reverse("reviews:worksheet", args=[telesa.pk])).status_code == 404


# --- queue ------------------------------------------------------------------------------------


def test_queue_shows_each_role_its_applications(submitted, users, client_for):
    jaipa = submitted(service="JAIPA Hikari")
    telesa = submitted(service="TELESA Hikari", body="TELESA")
    rin = client_for("rin").get(reverse("reviews:queue")).content.decode()
    assert "JAIPA Hikari" in rin and "TELESA Hikari" not in rin
    tomo = client_for("tomo").get(reverse("reviews:queue")).content.decode()
    assert "TELESA Hikari" in tomo and "JAIPA Hikari" not in tomo
    # ren sees only what is assigned to him.
    assert "JAIPA Hikari" not in client_for("ren").get(reverse("reviews:queue")).content.decode()
    services.assign_reviewer(actor=users["rin"], application=jaipa, reviewer=users["ren"])
    ren = client_for("ren").get(reverse("reviews:queue")).content.decode()
    assert "JAIPA Hikari" in ren and "TELESA Hikari" not in ren
    kei = client_for("kei").get(reverse("reviews:queue")).content.decode()
    assert "JAIPA Hikari" in kei and "TELESA Hikari" in kei
    for who in ("alice", "charlie"):
        page = client_for(who).get(reverse("reviews:queue"))
        assert page.status_code == 200
        assert "JAIPA Hikari" not in page.content.decode()
    assert telesa.pk


def test_reception_assigns_from_the_queue(submitted, users, client_for):
    application = submitted()
    response = client_for("rin").post(
        reverse("reviews:assign", args=[application.pk]), {"reviewer": users["ren"].pk}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_FIRST_REVIEW
    assert FirstReview.objects.get(application=application).reviewer == users["ren"]


def test_assigning_someone_of_another_body_is_refused(submitted, users, client_for):
    application = submitted()
    client_for("rin").post(
        reverse("reviews:assign", args=[application.pk]), {"reviewer": users["taro"].pk}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not FirstReview.objects.exists()


# --- worksheet --------------------------------------------------------------------------------


def test_worksheet_shows_claims_findings_and_verdict(in_review, users, client_for, rh):
    rh.record(in_review, users["ren"], "1-1-1", finding="met", comment="Seen the policy.")
    page = client_for("ren").get(reverse("reviews:worksheet", args=[in_review.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "How 1-1-1 is met." in html  # the applicant's explanation
    assert "Seen the policy." in html  # the reviewer's comment
    assert 'id="verdict"' in html and 'id="pass-button"' in html
    finding_url = reverse("reviews:finding", args=[in_review.pk, rh.item(in_review, "1-1-1").pk])
    assert f'hx-post="{finding_url}"' in html
    # The pass button is disabled while the verdict fails.
    assert page.context["verdict"].passed is False
    assert 'value="passed" id="pass-button" data-verdict-passes="false" disabled' in html


def test_htmx_save_answers_the_cell_and_the_verdict(in_review, users, client_for, rh):
    rh.find_all_met(in_review, users["ren"])
    item = rh.item(in_review, "4-1-1")
    version = ReviewFinding.objects.get(application=in_review, item=item).version
    response = client_for("ren").post(
        reverse("reviews:finding", args=[in_review.pk, item.pk]),
        {
            f"item-{item.pk}-finding": "not_met",
            f"item-{item.pk}-comment": "No terms found.",
            f"item-{item.pk}-version": version,
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="finding-{item.pk}"' in html
    assert 'id="verdict"' in html and 'hx-swap-oob="true"' in html
    assert "4-1-1" in html  # listed among the unmet mandatory items
    saved = ReviewFinding.objects.get(application=in_review, item=item)
    assert (saved.finding, saved.comment, saved.version) == (
        "not_met",
        "No terms found.",
        version + 1,
    )


def test_htmx_conflict_shows_who_changed_it(in_review, users, client_for, rh):
    item = rh.item(in_review, "3-1-1")
    rh.record(in_review, users["ren"], "3-1-1", finding="met", comment="kept")
    response = client_for("ren").post(
        reverse("reviews:finding", args=[in_review.pk, item.pk]),
        {f"item-{item.pk}-finding": "not_met", f"item-{item.pk}-version": 0},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "ren" in html
    assert ReviewFinding.objects.get(application=in_review, item=item).comment == "kept"


def test_save_without_htmx_redirects_to_the_item(in_review, client_for, rh):
    item = rh.item(in_review, "1-1-3")
    response = client_for("ren").post(
        reverse("reviews:finding", args=[in_review.pk, item.pk]),
        {f"item-{item.pk}-finding": "met", f"item-{item.pk}-version": 0},
    )
    assert response.status_code == 302 and response["Location"].endswith("#item-1-1-3")
    assert ReviewFinding.objects.get(application=in_review, item=item).finding == "met"


def test_return_page_sends_comments_per_item(in_review, client_for):
    client = client_for("ren")
    page = client.get(reverse("reviews:return", args=[in_review.pk]))
    assert page.status_code == 200 and 'name="comment_1-1-1"' in page.content.decode()
    empty = client.post(reverse("reviews:return", args=[in_review.pk]), {})
    assert empty.status_code == 200
    assert str(services.ERROR_RETURN_NEEDS_COMMENT) in empty.content.decode()
    response = client.post(
        reverse("reviews:return", args=[in_review.pk]),
        {"overall_comment": "Please fix", "comment_1-1-1": "Attach the signed policy."},
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.RETURNED
    assert ReturnRound.objects.get(application=in_review).comments.get().comment == (
        "Attach the signed policy."
    )


def test_decide_through_the_page(in_review, users, client_for, rh):
    client = client_for("ren")
    refused = client.post(reverse("reviews:decide", args=[in_review.pk]), {"decision": "passed"})
    assert refused.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW
    rh.find_all_met(in_review, users["ren"])
    client.post(reverse("reviews:decide", args=[in_review.pk]), {"decision": "passed"})
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.FIRST_REVIEW_PASSED
    page = client.get(reverse("reviews:worksheet", args=[in_review.pk])).content.decode()
    assert 'id="pass-button"' not in page  # decided: no more decision form


def test_override_through_the_page(in_review, client_for):
    client = client_for("ren")
    client.post(
        reverse("reviews:decide", args=[in_review.pk]),
        {"decision": "passed", "override": "on", "override_reason": "Decided with the committee."},
    )
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.FIRST_REVIEW_PASSED
    review = FirstReview.objects.get(application=in_review)
    assert review.override and review.override_reason == "Decided with the committee."
    history = client.get(reverse("reviews:history", args=[in_review.pk])).content.decode()
    assert "Decided with the committee." in history


def test_history_lists_rounds_and_the_audit_trail(in_review, users, client_for):
    services.return_for_correction(
        actor=users["ren"],
        application=in_review,
        comments={"4-1-1": "Where are the terms?"},
        overall_comment="Round one.",
    )
    page = client_for("rin").get(reverse("reviews:history", args=[in_review.pk]))
    html = page.content.decode()
    assert "Where are the terms?" in html and "Round one." in html
    assert page.context["trail"]


def test_resume_through_the_page(in_review, users, client_for):
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "x"}
    )
    app_services.submit(actor=users["alice"], application=in_review)
    page = client_for("ren").get(reverse("reviews:worksheet", args=[in_review.pk]))
    assert reverse("reviews:resume", args=[in_review.pk]) in page.content.decode()
    client_for("ren").post(reverse("reviews:resume", args=[in_review.pk]))
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.IN_FIRST_REVIEW
