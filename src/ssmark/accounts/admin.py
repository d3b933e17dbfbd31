from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "code", "licence_letter"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
