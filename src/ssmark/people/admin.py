from __future__ import annotations

from django.contrib import admin

from .models import Invitation, UserSession


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made, resent and revoked on the People page (audited)."""

    list_display = ("email", "organisation", "created", "expires_at", "accepted_at", "revoked_at")
    list_filter = ("organisation__kind",)
    search_fields = ("email", "organisation__name")
    exclude = ("token_hash",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    list_display = ("user", "created", "ip_address", "user_agent")
    search_fields = ("user__username",)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
