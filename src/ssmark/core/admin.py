from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit_actions import describe
from .models import AuditEntry
from .readonly_admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
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

    @admin.display(description=_("What happened"))
    def sentence(self, obj: AuditEntry) -> str:
        return describe(obj)
