"""Read-only admin views of the first review. Every change goes through the services (state
machine, optimistic concurrency, audit trail, events), so the admin only shows."""

from __future__ import annotations

from django.contrib import admin

from ssmark.core.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import FirstReview, ReturnComment, ReturnRound, ReviewFinding


@admin.register(FirstReview)
class FirstReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "assigned_at", "decision", "override", "decided_at"]
    list_filter = ["decision", "override"]
    search_fields = ["application__service_name", "reviewer__username"]
    list_select_related = ["application", "reviewer"]


@admin.register(ReviewFinding)
class ReviewFindingAdmin(ReadOnlyAdmin):
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


class ReturnCommentInline(ReadOnlyInline):
    model = ReturnComment
    extra = 0
    fields = ["item", "comment"]
    readonly_fields = ["item", "comment"]


@admin.register(ReturnRound)
class ReturnRoundAdmin(ReadOnlyAdmin):
    list_display = ["application", "number", "returned_by", "returned_at"]
    search_fields = ["application__service_name"]
    list_select_related = ["application", "returned_by"]
    inlines = [ReturnCommentInline]
