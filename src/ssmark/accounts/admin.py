from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import totp
from .models import Organisation, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [UserRoleInline]
    list_display = [
        "username",
        "last_name",
        "first_name",
        "organisation",
        "totp_enabled",
        "is_active",
    ]
    list_filter = ["organisation__kind", "roles__role", "totp_enabled", "is_active"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("ssmark", {"fields": ("organisation", "totp_enabled")}),
    )
    # Only the person turns the second factor on (with a code from their app); an
    # administrator can only reset it for someone who lost their device (audited).
    readonly_fields = ["totp_enabled"]
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-factor sign-in (lost device)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset.filter(totp_enabled=True):
            totp.turn_off(user, actor=request.user, data={"reset_by_administrator": True})
            count += 1
        self.message_user(
            request,
            _("Two-factor sign-in was reset for %(count)s people.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "code", "licence_letter"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
