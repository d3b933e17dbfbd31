"""The catalog in the admin: browsable, never editable (sets change only by a new YAML file)."""

from __future__ import annotations

from django.contrib import admin

from ssmark.catalog.models import Category, CriteriaSet, Item
from ssmark.core.readonly_admin import ReadOnlyAdmin


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyAdmin):
    list_display = ("set_id", "title", "scheme", "applies_from", "loaded")
    list_filter = ("scheme",)
    search_fields = ("set_id", "title", "title_en")
    exclude = ("definition",)  # large; the catalog page shows it properly


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "title_en", "criteria_set")
    list_filter = ("criteria_set",)


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "criteria_set",
        "category",
        "new_kind",
        "new_points",
        "renewal_kind",
        "renewal_points",
        "evidence",
    )
    list_filter = ("criteria_set", "new_kind", "renewal_kind")
    search_fields = ("code", "text", "text_en")
