from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .audit_actions import describe
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created",
        "sentence",
        "action",
        "target_type",
        "target_id",
        "from_state",
        "to_state",
    ]
    # `sentence` reads each entry's actor: one join, not a query per row.
    list_select_related = ["actor"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id", "comment"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    @admin.display(description=_("What happened"))
    def sentence(self, obj: AuditEntry) -> str:
        return describe(obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
