"""Rounds: the reviewer sees what changed since the last round; the applicant sees the comments."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from ssmark.applications import services as app_services
from ssmark.reviews import services
from ssmark.reviews.queries import return_comments_for
from ssmark.reviews.worksheet import changes_since_last_round, diff_snapshots


def return_and_fix(application, users, rh):
    services.return_for_correction(
        actor=users["ren"],
        application=application,
        comments={"1-1-1": "Explain the scope.", "4-1-2": "Show the terms."},
    )
    app_services.save_answer(
        actor=users["alice"],
        application=application,
        item_code="1-1-1",
        claim="met",
        explanation="The policy covers every office and the data centre.",
    )
    app_services.add_url_evidence(
        actor=users["alice"],
        application=application,
        item_code="4-1-2",
        url="https://sample-net.example/terms",
    )
    app_services.save_answer(
        actor=users["alice"],
        application=application,
        item_code="5-1-4",
        claim="unmet",
        explanation="How 5-1-4 is met.",
    )
    app_services.submit(actor=users["alice"], application=application)
    services.resume_review(actor=users["ren"], application=application)


def test_no_changes_before_a_resubmission(in_review):
    assert changes_since_last_round(in_review) == {}


def test_changes_since_the_last_round(in_review, users, rh):
    return_and_fix(in_review, users, rh)
    changes = changes_since_last_round(in_review)
    assert set(changes) == {"1-1-1", "4-1-2", "5-1-4"}
    assert changes["1-1-1"].explanation_changed and not changes["1-1-1"].claim_changed
    assert changes["1-1-1"].previous_explanation == "How 1-1-1 is met."
    assert changes["4-1-2"].evidence_added == ["https://sample-net.example/terms"]
    assert changes["5-1-4"].claim_changed
    assert changes["5-1-4"].previous_claim["claim"] == "met"
    assert changes["5-1-4"].current_claim["claim"] == "unmet"


def test_the_worksheet_highlights_the_changed_items(in_review, users, rh, client_for):
    return_and_fix(in_review, users, rh)
    page = client_for("ren").get(reverse("reviews:worksheet", args=[in_review.pk]))
    html = page.content.decode()
    assert 'class="ws-item changed" id="item-1-1-1"' in html
    assert 'id="item-1-1-2"' in html and 'class="ws-item changed" id="item-1-1-2"' not in html
    assert "The policy covers every office" in html  # current
    assert "How 1-1-1 is met." in html  # previous, shown beside it
    # The comments of the round the applicant answered are shown on the item.
    assert "Show the terms." in html


def test_scan_or_audit_changes_mark_their_item():
    previous = {"answers": {"2-1-1": {"claim": "met"}}, "scan_reports": [], "audits": []}
    current = {
        "answers": {"2-1-1": {"claim": "met"}},
        "scan_reports": [{"sha256": "ab"}],
        "audits": [{"sha256": "cd"}],
    }
    changes = diff_snapshots(previous, current, scan_item="2-1-1", security_audit_item="1-1-2")
    assert set(changes) == {"2-1-1", "1-1-2"}
    assert changes["2-1-1"].other and not changes["2-1-1"].claim_changed


def test_return_comments_for_the_applicants_page(in_review, users):
    assert return_comments_for(in_review) == {}
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"1-1-1": "First round."}
    )
    app_services.submit(actor=users["alice"], application=in_review)
    services.resume_review(actor=users["ren"], application=in_review)
    services.return_for_correction(
        actor=users["ren"], application=in_review, comments={"4-1-1": "Second round."}
    )
    comments = return_comments_for(in_review)
    assert list(comments) == ["4-1-1"]  # the latest round only
    [comment] = comments["4-1-1"]
    assert comment.comment == "Second round." and comment.round.number == 2
    html = render_to_string(
        "reviews/_return_comments.html", {"return_comments": comments, "code": "4-1-1"}
    )
    assert "Second round." in html
    assert (
        render_to_string(
            "reviews/_return_comments.html", {"return_comments": comments, "code": "1-1-1"}
        ).strip()
        == ""
    )
