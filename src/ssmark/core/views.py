from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from . import jobs


def home(request: HttpRequest) -> HttpResponse:
    from .dashboard import for_user

    return render(request, "core/home.html", {"dash": for_user(request.user)})


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers and every scheduled job ran recently enough; 503 naming
    the overdue job(s) otherwise, so monitoring catches a stopped cron."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    health = jobs.job_health()
    overdue = [job.name for job in health if job.overdue]
    body: dict[str, object] = {
        "status": "overdue" if overdue else "ok",
        "jobs": {job.name: job.as_dict() for job in health},
        # True behind a TLS proxy that sets X-Forwarded-Proto (SSMARK_BEHIND_TLS_PROXY): a
        # check of the proxy set-up (deploy/README.md).
        "https": request.is_secure(),
    }
    if overdue:
        body["reason"] = "overdue scheduled job(s): " + ", ".join(
            f"{job.name} (no successful run in {job.max_age_hours} h)"
            for job in health
            if job.overdue
        )
    response = JsonResponse(body, status=503 if overdue else 200)
    response["Cache-Control"] = "no-store"
    return response
