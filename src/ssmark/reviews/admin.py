"""Read-only admin views of the first review. Every change goes through the services (state
machine, optimistic concurrency, audit trail, events), so the admin only shows."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import FirstReview, ReturnComment, ReturnRound, ReviewFinding


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FirstReview)
class FirstReviewAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["application", "reviewer", "assigned_at", "decision", "override", "decided_at"]
    list_filter = ["decision", "override"]
    search_fields = ["application__service_name", "reviewer__username"]
    list_select_related = ["application", "reviewer"]


@admin.register(ReviewFinding)
class ReviewFindingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "application",
        "item",
        "finding",
        "grade",
        "version",
        "updated_by",
        "updated_at",
    ]
    list_filter = ["finding"]
    search_fields = ["application__service_name", "item__code"]
    list_select_related = ["application", "item", "updated_by"]


class ReturnCommentInline(ReadOnly, admin.TabularInline):
    model = ReturnComment
    extra = 0
    fields = ["item", "comment"]
    readonly_fields = ["item", "comment"]


@admin.register(ReturnRound)
class ReturnRoundAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["application", "number", "returned_by", "returned_at"]
    search_fields = ["application__service_name"]
    list_select_related = ["application", "returned_by"]
    inlines = [ReturnCommentInline]
