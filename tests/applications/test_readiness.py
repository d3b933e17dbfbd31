"""The readiness panel shows exactly what the rule engine says about the applicant's claims."""

from __future__ import annotations

from ssmark import criteria
from ssmark.applications import assessment, services
from ssmark.catalog.services import get_criteria_set
from tests.applications.factories import all_roles, clean_scan, full_audit, upload

NEW_MANDATORY = 25
NEW_AVAILABLE = 122
NEW_THRESHOLD = 91


def test_empty_application(draft):
    r = assessment.readiness(draft)
    v = r.verdict
    assert (v.mandatory_total, v.points_available, v.threshold) == (
        NEW_MANDATORY,
        NEW_AVAILABLE,
        NEW_THRESHOLD,
    )
    assert v.points_earned == 0 and not v.passed
    assert len(v.unanswered) == len(get_criteria_set(draft.criteria_set).items) - 3
    assert v.at_review == ("7-1-1", "7-1-2", "7-1-3")
    assert sum(c.available for c in r.categories) == NEW_AVAILABLE
    assert sum(c.mandatory_total for c in r.categories) == NEW_MANDATORY


def test_numbers_match_the_rule_engine_and_the_page(draft, users, client_for):
    alice = users["alice"]
    cs = get_criteria_set(draft.criteria_set)
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", clean_scan())
    )
    services.set_host_roles(actor=alice, application=draft, roles=all_roles())
    full_audit(draft, alice)
    answers: dict[str, criteria.Answer] = {}
    for index, item in enumerate(cs.items):
        kind = item.kind_for("new")
        if kind is criteria.Kind.GRADED:
            # Graded at review (7-1-x): the applicant describes, the reviewer grades.
            services.save_answer(
                actor=alice, application=draft, item_code=item.code, explanation="取組み"
            )
            continue
        elif index % 4 == 3:
            continue  # unanswered
        else:
            value: criteria.Answer = criteria.UNMET if index % 5 == 0 else criteria.MET
            services.save_answer(actor=alice, application=draft, item_code=item.code, claim=value)
        answers[item.code] = value
    expected = criteria.assess(cs, "new", answers, before_review=True)
    got = assessment.readiness(draft)
    assert got.verdict == expected
    assert sum(c.earned for c in got.categories) == expected.points_earned
    assert expected.at_review == ("7-1-1", "7-1-2", "7-1-3")
    body = client_for("alice").get(f"/applications/{draft.pk}/readiness/").content.decode()
    assert f'data-testid="points">{expected.points_earned}<' in body
    assert f"{expected.mandatory_met} / {expected.mandatory_total}" in body
    for code in expected.mandatory_unmet:
        assert f'href="#item-{code}"' in body


def test_everything_met_passes(draft, users):
    alice = users["alice"]
    cs = get_criteria_set(draft.criteria_set)
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", clean_scan())
    )
    services.set_host_roles(actor=alice, application=draft, roles=all_roles())
    full_audit(draft, alice)
    for item in cs.items:
        if item.kind_for("new") is criteria.Kind.GRADED:
            services.save_answer(
                actor=alice, application=draft, item_code=item.code, explanation="取組み"
            )
        else:
            services.save_answer(actor=alice, application=draft, item_code=item.code, claim="met")
    v = assessment.readiness(draft).verdict
    # The three items graded at review (15 points) are the reviewer's to give.
    assert v.passed and v.points_earned == NEW_AVAILABLE - 15 and v.points_pending == 15


def test_answer_via_htmx_returns_the_item_and_triggers_the_panel(draft, client_for):
    client = client_for("alice")
    response = client.post(
        f"/applications/{draft.pk}/items/1-1-3/answer/",
        {"claim": "met", "explanation": "見直し規程あり", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "readiness-changed"
    assert 'id="item-1-1-3"' in response.content.decode()
    assert assessment.readiness(draft).verdict.points_earned == 3
    # a stale form is refused and shows the error in the item
    response = client.post(
        f"/applications/{draft.pk}/items/1-1-3/answer/",
        {"claim": "unmet", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert 'class="item-error"' in response.content.decode()
    assert assessment.readiness(draft).verdict.points_earned == 3
