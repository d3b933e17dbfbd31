from django.urls import URLPattern, URLResolver, path

from ssmark.catalog import views

app_name = "catalog"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("about/", views.about, name="about"),
    path("<str:set_id>/", views.detail, name="detail"),
]
