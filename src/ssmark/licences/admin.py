"""Read-only admin views of licences, their history and incidents: every change goes through
`ssmark.licences.services` (audit trail, events), never through the admin. Licences are never
deleted (their numbers are never reused)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import IncidentReport, Licence, LicenceTerm, RenewalLink, StatusChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TermInline(admin.TabularInline):
    model = LicenceTerm
    extra = 0
    fields = ("kind", "application", "approved_on", "valid_from", "valid_until")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    fields = ("created", "from_status", "to_status", "ground", "reason", "actor")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "service_name", "organisation", "status", "valid_until"]
    list_filter = ["status", "scheme", "reception_body"]
    search_fields = ["number", "service_name", "organisation__name"]
    ordering = ["serial"]
    inlines = [TermInline, StatusChangeInline]


@admin.register(RenewalLink)
class RenewalLinkAdmin(ReadOnlyAdmin):
    list_display = ["licence", "application", "renews_until", "created"]


@admin.register(IncidentReport)
class IncidentReportAdmin(ReadOnlyAdmin):
    list_display = ["licence", "kind", "occurred_on", "status", "reported_at"]
    list_filter = ["kind", "status"]
