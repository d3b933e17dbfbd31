"""/healthz reports the last successful run of each scheduled job and answers 503 naming the
job when one is overdue (a daily job with no success for 26 hours), so a stopped cron shows."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from ssmark.core import clock, jobs
from ssmark.core.models import JobRun

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def _age(name: str, *, success: datetime.timedelta | None, tracked: datetime.timedelta) -> None:
    now = clock.now()
    JobRun.objects.update_or_create(
        name=name,
        defaults={
            "tracked_since": now - tracked,
            "last_success": now - success if success is not None else None,
        },
    )


def test_fresh_installation_is_healthy_and_lists_the_jobs(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert set(body["jobs"]) == {"lapse-licences", "send-notifications", "send-webhooks"}
    assert body["jobs"]["lapse-licences"]["last_success"] is None
    assert body["jobs"]["lapse-licences"]["max_age_hours"] == 26
    assert r["Cache-Control"] == "no-store"


def test_a_daily_job_older_than_26_hours_makes_healthz_503_naming_it(client):
    _age("lapse-licences", success=26 * HOUR + datetime.timedelta(minutes=1), tracked=100 * HOUR)
    _age("send-notifications", success=datetime.timedelta(minutes=5), tracked=100 * HOUR)
    _age("send-webhooks", success=datetime.timedelta(minutes=5), tracked=100 * HOUR)
    r = client.get("/healthz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "overdue"
    assert "lapse-licences" in body["reason"] and "send-notifications" not in body["reason"]
    assert body["jobs"]["lapse-licences"]["overdue"] is True


def test_boundary_just_inside_26_hours_is_healthy():
    _age("lapse-licences", success=26 * HOUR, tracked=100 * HOUR)
    last = JobRun.objects.get(name="lapse-licences").last_success
    now = last + 26 * HOUR
    health = {j.name: j for j in jobs.job_health(now=now)}
    assert not health["lapse-licences"].overdue  # exactly 26 h: not yet older
    later = {j.name: j for j in jobs.job_health(now=now + datetime.timedelta(seconds=1))}
    assert later["lapse-licences"].overdue


def test_a_job_that_never_succeeded_is_overdue_once_tracked_longer_than_its_limit(client):
    _age("send-notifications", success=None, tracked=3 * HOUR)
    r = client.get("/healthz")
    assert r.status_code == 503 and "send-notifications" in r.json()["reason"]


def test_the_commands_record_their_successful_runs(client):
    _age("lapse-licences", success=None, tracked=100 * HOUR)
    _age("send-notifications", success=None, tracked=100 * HOUR)
    _age("send-webhooks", success=None, tracked=100 * HOUR)
    assert client.get("/healthz").status_code == 503
    call_command("lapse_licences")
    call_command("send_notifications", "--quiet-if-idle")
    call_command("send_webhooks")
    r = client.get("/healthz")
    assert r.status_code == 200, r.json()
    for name in ("lapse-licences", "send-notifications", "send-webhooks"):
        assert r.json()["jobs"][name]["last_success"] is not None


def test_a_failed_run_is_recorded_and_keeps_the_last_success(monkeypatch):
    _age("lapse-licences", success=2 * HOUR, tracked=100 * HOUR)
    before = JobRun.objects.get(name="lapse-licences").last_success

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("ssmark.licences.management.commands.lapse_licences.run_daily", broken)
    with pytest.raises(RuntimeError):
        call_command("lapse_licences")
    row = JobRun.objects.get(name="lapse-licences")
    assert row.last_success == before
    assert row.last_failure is not None and "database gone" in row.last_error


def test_the_limits_are_settings(client, settings):
    settings.SSMARK_JOB_MAX_AGE_HOURS = {"lapse-licences": 1, "send-notifications": 2}
    _age("lapse-licences", success=90 * datetime.timedelta(minutes=1), tracked=100 * HOUR)
    _age("send-notifications", success=HOUR, tracked=100 * HOUR)
    r = client.get("/healthz")
    assert (
        r.status_code == 503 and "lapse-licences (no successful run in 1 h)" in r.json()["reason"]
    )


def test_a_watched_job_without_a_row_is_tracked_from_now_and_then_overdue(client, settings):
    """A flushed table, or a job added to the setting after the rows were seeded: the first
    check starts tracking it, so a cron that was never set up still makes /healthz 503."""
    JobRun.objects.all().delete()
    settings.SSMARK_JOB_MAX_AGE_HOURS = {**settings.SSMARK_JOB_MAX_AGE_HOURS, "send-webhooks": 1}
    assert client.get("/healthz").status_code == 200
    assert set(JobRun.objects.values_list("name", flat=True)) == {
        "lapse-licences",
        "send-notifications",
        "send-webhooks",
    }
    later = {j.name: j for j in jobs.job_health(now=clock.now() + 2 * HOUR)}
    assert later["send-webhooks"].overdue and not later["lapse-licences"].overdue
