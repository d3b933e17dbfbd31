"""Read-only admin views of applications and what belongs to them.

Every change goes through the services (state machine, audit trail, events), so the admin
only shows: it never adds, changes or deletes.
"""

from __future__ import annotations

from django.contrib import admin

from ssmark.core.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Application,
    Evidence,
    FindingStatement,
    IncidentDeclaration,
    ItemAnswer,
    ScanHostRole,
    ScanReport,
    SecurityAuditRecord,
    Submission,
)


class SubmissionInline(ReadOnlyInline):
    model = Submission
    fields = ["number", "submitted_on", "submitted_by"]


class IncidentInline(ReadOnlyInline):
    model = IncidentDeclaration
    fields = ["kind", "occurred_on", "summary", "measures"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "service_name",
        "organisation",
        "review_type",
        "reception_body",
        "status",
        "submitted_on",
        "updated",
    ]
    list_filter = ["status", "review_type", "scheme", "reception_body"]
    search_fields = ["service_name", "organisation__name"]
    list_select_related = ["organisation", "reception_body"]
    inlines = [SubmissionInline, IncidentInline]


@admin.register(ItemAnswer)
class ItemAnswerAdmin(ReadOnlyAdmin):
    list_display = ["application", "item", "claim", "grade", "carried_over", "updated"]
    list_select_related = ["application", "item"]
    search_fields = ["application__service_name", "item__code"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = [
        "answer",
        "kind",
        "original_name",
        "content_type",
        "size",
        "url",
        "carried_over",
        "created",
    ]
    list_select_related = ["answer__application", "answer__item"]
    list_filter = ["kind", "content_type"]


@admin.register(ScanReport)
class ScanReportAdmin(ReadOnlyAdmin):
    list_display = ["application", "original_name", "format", "scanned_on", "size", "created"]
    exclude = ["summary"]


admin.site.register(ScanHostRole, ReadOnlyAdmin)
admin.site.register(FindingStatement, ReadOnlyAdmin)
admin.site.register(SecurityAuditRecord, ReadOnlyAdmin)
admin.site.register(Submission, ReadOnlyAdmin)
admin.site.register(IncidentDeclaration, ReadOnlyAdmin)
