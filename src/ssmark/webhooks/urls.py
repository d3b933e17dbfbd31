from __future__ import annotations

from django.urls import URLPattern

app_name = "webhooks"

urlpatterns: list[URLPattern] = []
