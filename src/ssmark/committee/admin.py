"""Read-only admin views of sessions and decisions: changes go through the services (and so
through the audit trail), never through the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ssmark.core.readonly_admin import ReadOnlyAdmin

from .models import AgendaItem, Session


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "session"
    extra = 0
    fields = ("position", "application", "decision", "reasons", "decided_at", "decided_by")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["date", "start_time", "place", "online", "status", "chair"]
    list_filter = ["status", "online"]
    date_hierarchy = "date"
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["session", "position", "application", "decision", "decided_at"]
    list_filter = ["decision"]
    search_fields = ["application__service_name", "application__organisation__name"]
    raw_id_fields = ["application"]
