"""The self-assessment without reloads and without losing typed text (issue 15): evidence is
added in place (the item's fragment comes back), explanations autosave, "save and next item",
over-long text is refused with the limit named and the text kept."""

from __future__ import annotations

from ssmark.applications.models import Evidence, ItemAnswer
from tests.applications.factories import PDF_BYTES, upload

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "ja"}


def answer_url(app, code: str) -> str:
    return f"/applications/{app.pk}/items/{code}/answer/"


def evidence_url(app, code: str) -> str:
    return f"/applications/{app.pk}/items/{code}/evidence/"


def test_an_over_long_explanation_is_refused_with_the_limit_and_kept(draft, client_for, settings):
    limit = settings.TEXT_LIMIT
    text = "説明" * (limit // 2) + "超過"
    r = client_for("alice").post(
        answer_url(draft, "1-1-1"),
        {"claim": "unmet", "explanation": text, "version": 0},
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert f"上限の {limit} 文字" in html and text in html
    assert f'maxlength="{limit}"' in html
    assert not ItemAnswer.objects.filter(application=draft).exists()
    # The same in place (htmx): the fragment keeps the text and names the limit.
    r = client_for("alice").post(
        answer_url(draft, "1-1-1"), {"claim": "unmet", "explanation": text}, **HTMX
    )
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert f"上限の {limit} 文字" in html and text in html


def test_autosave_answers_with_the_new_version_and_refuses_a_stale_one(draft, client_for):
    c = client_for("alice")
    r = c.post(
        answer_url(draft, "1-1-1"),
        {"claim": "", "explanation": "基本方針があります", "version": 0},
        HTTP_X_AUTOSAVE="1",
    )
    assert r.status_code == 200 and r.json()["ok"] and r.json()["version"] == 1
    answer = ItemAnswer.objects.get(application=draft, item__code="1-1-1")
    assert answer.explanation == "基本方針があります"
    r = c.post(
        answer_url(draft, "1-1-1"),
        {"claim": "", "explanation": "古い版から", "version": 0},
        HTTP_X_AUTOSAVE="1",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert r.status_code == 409 and not r.json()["ok"] and "1-1-1" in r.json()["error"]
    answer.refresh_from_db()
    assert answer.explanation == "基本方針があります"


def test_save_and_next_item_goes_to_the_next_item(draft, client_for):
    r = client_for("alice").post(
        answer_url(draft, "1-1-1"), {"claim": "unmet", "explanation": "", "next": "1"}
    )
    assert r.status_code == 302 and r["Location"].endswith("?open=1-1-2#item-1-1-2")


def test_a_web_address_is_added_in_place(draft, client_for):
    r = client_for("alice").post(
        evidence_url(draft, "4-1-3"),
        {"kind": "url", "url": "https://sample-net.example/terms"},
        **HTMX,
    )
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html  # a fragment, not a redirect
    assert 'id="item-4-1-3"' in html and "https://sample-net.example/terms" in html
    assert Evidence.objects.filter(answer__application=draft, kind="url").count() == 1


def test_a_refused_web_address_is_shown_again_with_the_reason(draft, client_for):
    r = client_for("alice").post(
        evidence_url(draft, "4-1-3"), {"kind": "url", "url": "ftp://sample-net.example/x"}, **HTMX
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "item-error" in html and 'value="ftp://sample-net.example/x"' in html
    assert not Evidence.objects.filter(answer__application=draft).exists()


def test_a_file_uploaded_by_the_script_comes_back_as_the_fragment(draft, client_for):
    r = client_for("alice").post(
        evidence_url(draft, "1-1-1"),
        {"kind": "file", "file": upload("方針.pdf", PDF_BYTES)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        HTTP_X_FRAGMENT="1",
    )
    html = r.content.decode()
    assert r.status_code == 200 and 'id="item-1-1-1"' in html and "方針.pdf" in html
    assert r["HX-Trigger"] == "readiness-changed"


def test_each_item_shows_whether_evidence_is_attached(draft, client_for):
    html = client_for("alice").get(f"/applications/{draft.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert html.content.decode().count('data-evidence="0"') >= 40  # "証拠なし" at a glance


def test_a_renewal_says_per_item_whether_it_was_carried_over(new_application, client_for, users):
    from ssmark.applications import services
    from ssmark.catalog.models import ReviewType

    old = new_application()
    services.save_answer(
        actor=users["alice"], application=old, item_code="1-1-1", claim="unmet", explanation="旧"
    )
    renewal = new_application(review_type=ReviewType.RENEWAL, renew_from=old)
    html = client_for("alice").get(f"/applications/{renewal.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    html = html.content.decode()
    assert html.count('data-carried="yes"') == 1
    assert html.count('data-carried="no"') == 52
    assert "引継ぎなし — 回答してください" in html
