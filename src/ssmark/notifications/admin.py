from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Bulletin, BulletinDelivery, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "recipient", "email", "email_status", "sent_at", "read_at"]
    list_filter = ["kind", "email_status"]
    search_fields = ["subject", "email", "recipient__username", "event_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = BulletinDelivery
    extra = 0
    can_delete = False
    readonly_fields = ["organisation"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    """Bulletins are written and sent on the bulletin pages; the admin only shows them."""

    list_display = ["title", "severity", "status", "sent_at", "recipient_count"]
    list_filter = ["severity", "status"]
    inlines = [DeliveryInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Bulletin._meta.fields] + ["reception_bodies"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
