from django.contrib import admin
from django.urls import include, path

from ssmark.core import language

# Public, stable addresses (the registry, licence verification, the mark) are owned by the
# licences app and mounted at the root; see ssmark/licences/urls.py.
urlpatterns = [
    path("", include("ssmark.core.urls")),
    path("", include("ssmark.licences.urls")),
    path("accounts/", include("ssmark.accounts.urls")),
    path("people/", include("ssmark.people.urls")),
    path("catalog/", include("ssmark.catalog.urls")),
    path("applications/", include("ssmark.applications.urls")),
    path("reviews/", include("ssmark.reviews.urls")),
    path("committee/", include("ssmark.committee.urls")),
    path("fees/", include("ssmark.fees.urls")),
    path("notifications/", include("ssmark.notifications.urls")),
    path("api/", include("ssmark.api.urls")),
    path("webhooks/", include("ssmark.webhooks.urls")),
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
