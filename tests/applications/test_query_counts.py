"""Lists and item pages do not run one query per item or per piece of evidence."""

from __future__ import annotations

from ssmark.applications import services
from ssmark.catalog.models import Item
from tests.applications.factories import PDF_BYTES, all_roles, clean_scan, full_audit, upload


def fill(app, user, n_items):
    if not app.audits.exists():
        full_audit(app, user)  # 1-1-2 may be claimed met only with every audit item covered
    if app.scan_reports.exists() and not app.host_roles.exists():
        services.set_host_roles(actor=user, application=app, roles=all_roles())
    for item in Item.objects.filter(criteria_set=app.criteria_set).order_by("position")[:n_items]:
        if item.is_graded:
            services.save_answer(actor=user, application=app, item_code=item.code, explanation="x")
        else:
            services.save_answer(actor=user, application=app, item_code=item.code, claim="met")
        services.add_file_evidence(
            actor=user, application=app, item_code=item.code, upload=upload("e.pdf", PDF_BYTES)
        )


def test_detail_page_query_count_does_not_grow_with_items(
    draft, users, client_for, django_assert_max_num_queries
):
    alice = users["alice"]
    services.upload_scan_report(
        actor=alice, application=draft, upload=upload("s.jsonl", clean_scan())
    )
    fill(draft, alice, 3)
    client = client_for("alice")
    client.get(f"/applications/{draft.pk}/")  # warm-up (session, caches)
    with django_assert_max_num_queries(25) as few:
        assert client.get(f"/applications/{draft.pk}/").status_code == 200
    fill_more = Item.objects.filter(criteria_set=draft.criteria_set).count()
    fill(draft, alice, fill_more)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/applications/{draft.pk}/").status_code == 200


def test_list_query_count(new_application, client_for, django_assert_max_num_queries):
    for n in range(8):
        new_application(service_name=f"サービス{n}")
    client = client_for("alice")
    with django_assert_max_num_queries(8):
        assert client.get("/applications/").status_code == 200


def test_submit_page_and_readiness_are_bounded(
    draft, users, client_for, django_assert_max_num_queries
):
    services.upload_scan_report(
        actor=users["alice"], application=draft, upload=upload("s.jsonl", clean_scan())
    )
    fill(draft, users["alice"], 20)
    client = client_for("alice")
    with django_assert_max_num_queries(25):
        assert client.get(f"/applications/{draft.pk}/submit/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/applications/{draft.pk}/readiness/").status_code == 200
