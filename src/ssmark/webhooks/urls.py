from __future__ import annotations

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("<int:pk>/", views.endpoint, name="endpoint"),
    path("<int:pk>/rotate/", views.rotate, name="rotate"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
