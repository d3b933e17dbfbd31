"""Scan reports through the API: upload (multipart `file`), list, read with the gate result,
findings filtered by host and severity, paginated; refusals as JSON naming the problem."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.applications.factories import HOSTS, all_roles, clean_scan, nuclei_report


def upload(client, app, content: bytes, name: str = "nuclei.jsonl"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/applications/{app.pk}/scan-reports/",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def test_upload_then_read_the_gate(api_for, draft, users):
    from ssmark.applications import services

    alice = api_for("alice")
    response = upload(alice, draft, clean_scan())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["original_name"] == "nuclei.jsonl" and body["hosts"] == len(HOSTS)
    assert body["gate"]["state"] == "roles_missing" and not body["gate"]["passes"]
    services.set_host_roles(actor=users["alice"], application=draft, roles=all_roles())
    one = alice.get(f"/api/v1/applications/{draft.pk}/scan-reports/{body['id']}/").json()
    assert one["gate"]["state"] == "ok" and one["gate"]["passes"] is True
    listed = alice.get(f"/api/v1/applications/{draft.pk}/scan-reports/").json()
    assert [r["id"] for r in listed] == [body["id"]]
    # same company reads it; another company gets 404
    assert api_for("bob").get(f"/api/v1/applications/{draft.pk}/scan-reports/").status_code == 200
    other = api_for("charlie").get(f"/api/v1/applications/{draft.pk}/scan-reports/{body['id']}/")
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_blocking_finding_and_findings_filters(api_for, draft, settings):
    settings.SSMARK_API_PAGE_SIZE = 2
    alice = api_for("alice")
    report = nuclei_report(
        [
            (HOSTS["web"], "cve-critical", 9.8),
            (HOSTS["web"], "cve-high", 7.5),
            (HOSTS["mail"], "cve-medium", 5.0),
            (HOSTS["dns"], "info", None),
        ]
    )
    body = upload(alice, draft, report).json()
    assert body["gate"]["state"] == "blocking" and body["gate"]["blocks_claim"]
    assert {f["check"] for f in body["gate"]["blocking"]} == {"cve-critical", "cve-high"}
    base = f"/api/v1/applications/{draft.pk}/scan-reports/{body['id']}/findings/"
    page1 = alice.get(base).json()
    assert page1["count"] == 4 and len(page1["results"]) == 2
    assert [f["severity"] for f in page1["results"]] == ["critical", "high"]
    page2 = alice.get(base + "?page=2").json()
    assert [f["severity"] for f in page2["results"]] == ["medium", "none"]
    assert alice.get(base + "?page=3").status_code == 404
    web = alice.get(base + f"?host={HOSTS['web']}").json()
    assert web["count"] == 2
    medium = alice.get(base + "?severity=medium").json()
    assert [f["check"] for f in medium["results"]] == ["cve-medium"]
    bad = alice.get(base + "?severity=urgent")
    assert bad.status_code == 400 and bad.json()["field"] == "severity"


def test_refusals_are_json_in_the_request_language(api_for, draft, submit_now):
    en = api_for("alice")
    missing = en.post(f"/api/v1/applications/{draft.pk}/scan-reports/", {})
    assert missing.status_code == 400 and missing.json()["field"] == "file"
    missing_ja = api_for("alice", language="ja").post(
        f"/api/v1/applications/{draft.pk}/scan-reports/", {}
    )
    assert missing_ja.json()["field"] == "file"
    assert missing_ja.json()["message"] != missing.json()["message"]  # Japanese, not English
    unreadable = upload(en, draft, b"not a report at all")
    assert unreadable.status_code == 409
    assert unreadable.json()["code"] == "application_refused"
    assert "could not be read" in unreadable.json()["message"]
    ja = upload(api_for("alice", language="ja"), draft, b"not a report at all").json()
    assert "読み" in ja["message"]
    submit_now(draft)
    late = upload(en, draft, clean_scan())
    assert late.status_code == 409 and "can no longer be changed" in late.json()["message"]
    # reception staff may read the submitted application but not upload for it
    assert upload(api_for("rin"), draft, clean_scan()).status_code == 403
    # a read-only token of the applicant may not upload
    assert upload(api_for("alice", read_only=True), draft, clean_scan()).status_code == 403


def test_background_upload_is_queued_then_read_by_the_worker(api_for, draft):
    from ssmark.applications import scanjobs

    alice = api_for("alice")
    response = alice.post(
        f"/api/v1/applications/{draft.pk}/scan-reports/?background=1",
        {"file": SimpleUploadedFile("n.jsonl", clean_scan(), content_type="text/plain")},
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and body["gate"]["state"] == "pending"
    assert body["gate"]["pending_count"] == 1
    assert scanjobs.run_pending() == 1
    done = alice.get(f"/api/v1/applications/{draft.pk}/scan-reports/{body['id']}/").json()
    assert done["state"] == "done" and done["hosts"] == len(HOSTS)
    assert done["gate"]["state"] == "roles_missing"


def test_findings_host_filter_takes_junk_without_failing(api_for, draft):
    """A NUL or an over-long value in ?host= is cleaned as the page cleans it (PostgreSQL
    refuses a NUL in a query parameter: it must never reach the database)."""
    alice = api_for("alice")
    body = upload(alice, draft, nuclei_report([(HOSTS["web"], "cve-high", 7.5)])).json()
    base = f"/api/v1/applications/{draft.pk}/scan-reports/{body['id']}/findings/"
    assert alice.get(base + f"?host={HOSTS['web']}%00").json()["count"] == 1
    assert alice.get(base + "?host=" + "x" * 5000).json()["count"] == 0
