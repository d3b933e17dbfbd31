"""The readiness panel labels each category's bar with the category's name, not its number."""

from __future__ import annotations

from django.utils import translation

from ssmark.catalog.services import get_criteria_set


def test_each_bar_is_labelled_with_the_category_name(draft, client_for):
    cs = get_criteria_set(draft.criteria_set)
    body = client_for("alice").get(f"/applications/{draft.pk}/readiness/").content.decode()
    assert len(cs.categories) == 7
    for category in cs.categories:
        label = f"{category.code}. {category.title.ja}"
        assert f'href="#category-{category.code}">{label}</a>' in body, label


def test_english_page_shows_english_names(draft, client_for):
    cs = get_criteria_set(draft.criteria_set)
    client = client_for("alice")
    client.cookies["ssmark_language"] = "en"
    with translation.override("en"):
        body = client.get(f"/applications/{draft.pk}/readiness/").content.decode()
    first = cs.categories[0]
    assert f"{first.code}. {first.title.en}" in body
