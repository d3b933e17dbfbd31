from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import entries_for


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_URL": settings.SITE_URL,
        "MAX_UPLOAD_MB": settings.MAX_UPLOAD_MB,
        "nav_entries": entries_for(request),
    }
