"""The admin signs in through the app's own sign-in (password, second factor, throttle).

Django's admin login form would take the password alone and skip both; here it only redirects.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class SsmarkAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": next_url}))


class SsmarkAdminConfig(AdminConfig):
    """django.contrib.admin with the site above (INSTALLED_APPS names this class)."""

    default_site = "ssmark.accounts.admin_site.SsmarkAdminSite"
