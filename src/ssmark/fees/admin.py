"""Invoices, payments and counters are read-only in the admin: invoices are issued, paid and
corrected only through the fees pages (services), never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ssmark.core.readonly_admin import ReadOnlyAdmin

from .models import Invoice, InvoiceCounter, IssuerDetails, OverdueNotice, Payment


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    readonly_fields = ["received_on", "amount", "method", "reference", "recorded_by", "created"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "number",
        "document_type",
        "fee_kind",
        "addressee_name",
        "issued_on",
        "due_on",
        "total",
    ]
    list_filter = ["document_type", "fee_kind", "issuer"]
    search_fields = ["number", "addressee_name"]
    inlines = [PaymentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "received_on", "amount", "method", "reference"]
    search_fields = ["invoice__number", "reference"]


@admin.register(InvoiceCounter)
class InvoiceCounterAdmin(ReadOnlyAdmin):
    list_display = ["issuer", "year", "last_number"]


@admin.register(OverdueNotice)
class OverdueNoticeAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "detected_on"]


@admin.register(IssuerDetails)
class IssuerDetailsAdmin(admin.ModelAdmin):
    """Contact and bank-transfer details a reception body prints on its invoices (editable:
    each invoice keeps a copy of what they were on its day of issue)."""

    list_display = ["organisation", "contact", "bank_transfer"]
