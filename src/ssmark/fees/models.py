"""Invoices (適格請求書), credit notes, their gap-free numbering, and payments.

An invoice is issued in one step by `ssmark.fees.services` and never changes afterwards: its
lines, tax summary and the issuer's and addressee's details are stored on the row as they were
on the day of issue, and `save()` refuses any later change. A correction is a credit note
(a negative document referring to the original) plus a new invoice. What is paid, owed and
overdue is derived from the payments and credit notes, never stored on the invoice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.core.refusals import WrongState


class FeeKind(models.TextChoices):
    REVIEW = "review", _("Review fee")
    RENEWAL_REVIEW = "renewal_review", _("Renewal review fee")
    ANNUAL = "annual", _("Annual mark usage fee")


class DocumentType(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    UNPAID = "unpaid", _("Unpaid")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled by credit note")
    CREDIT = "credit", _("Credit note")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


ERROR_IMMUTABLE = _("An issued invoice cannot be changed; issue a credit note and a new invoice.")
ERROR_NOT_DELETABLE = _("An issued invoice cannot be deleted.")


class InvoiceImmutable(WrongState):
    """An issued invoice is never changed or deleted (corrections are credit notes)."""

    default_code = "invoice_immutable"


class InvoiceCounter(models.Model):
    """The last number used per issuing body and year. Locked (SELECT … FOR UPDATE) while an
    invoice is issued, in the same transaction, so numbers are never skipped or repeated."""

    issuer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="fees_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id}/{self.year}: {self.last_number}"


class Invoice(models.Model):
    number = models.CharField(_("number"), max_length=40, unique=True)
    document_type = models.CharField(
        _("document"), max_length=20, choices=DocumentType.choices, default=DocumentType.INVOICE
    )
    fee_kind = models.CharField(_("fee"), max_length=20, choices=FeeKind.choices)
    issuer = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("issuer"),
        on_delete=models.PROTECT,
        related_name="issued_invoices",
    )
    sequence_year = models.PositiveIntegerField()
    sequence_number = models.PositiveIntegerField()
    addressee = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("addressee"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    licence = models.ForeignKey(
        "licences.Licence",
        verbose_name=_("licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    # Annual fees: the licence year (1 = the first) and the day it starts.
    fee_year = models.PositiveSmallIntegerField(_("licence year"), null=True, blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    # A credit note points at the invoice it cancels; a replacement invoice at the one it
    # replaces.
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    # The parties as they were on the day of issue (a qualified invoice must not change when
    # an organisation's name or address changes later).
    issuer_name = models.CharField(_("issuer name"), max_length=200)
    issuer_address = models.CharField(_("issuer address"), max_length=300, blank=True)
    issuer_registration_number = models.CharField(
        _("registration number"), max_length=14, blank=True
    )
    # How to reach the issuer and where to pay (振込先), as printed on the day of issue.
    issuer_contact = models.TextField(_("issuer contact"), blank=True, default="")
    payment_details = models.TextField(_("bank transfer details"), blank=True, default="")
    addressee_name = models.CharField(_("addressee name"), max_length=200)
    addressee_address = models.CharField(_("addressee address"), max_length=300, blank=True)
    issued_on = models.DateField(_("issued on"))
    transaction_date = models.DateField(_("transaction date"))
    due_on = models.DateField(pgettext_lazy("invoice", "due on"), null=True, blank=True)
    schedule_id = models.CharField(_("fee schedule"), max_length=40)
    amounts_include_tax = models.BooleanField(_("amounts include tax"))
    # [{description, description_en, quantity, unit_price, amount, tax_rate}]
    lines = models.JSONField(_("lines"))
    # [{rate, base, tax, total}] one per tax rate; base = amount excluding tax.
    tax_summary = models.JSONField(_("tax per rate"))
    subtotal = models.BigIntegerField(_("amount excluding tax"))
    tax_total = models.BigIntegerField(_("consumption tax"))
    total = models.BigIntegerField(_("total including tax"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "sequence_year", "sequence_number"],
                name="fees_invoice_sequence_unique",
            ),
            # One original review-fee invoice per application, and one first annual fee.
            models.UniqueConstraint(
                fields=["application", "fee_kind"],
                condition=Q(document_type="invoice", corrects__isnull=True)
                & (Q(fee_kind__in=["review", "renewal_review"]) | Q(fee_year=1)),
                name="fees_one_invoice_per_application_fee",
            ),
            # One original annual-fee invoice per licence year.
            models.UniqueConstraint(
                fields=["licence", "period_start"],
                condition=Q(document_type="invoice", corrects__isnull=True, fee_kind="annual"),
                name="fees_one_annual_invoice_per_licence_year",
            ),
        ]
        indexes = [models.Index(fields=["issuer", "issued_on"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise InvoiceImmutable(ERROR_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise InvoiceImmutable(ERROR_NOT_DELETABLE)

    @property
    def is_credit_note(self) -> bool:
        return self.document_type == DocumentType.CREDIT_NOTE

    @property
    def is_qualified(self) -> bool:
        """Carries a well-formed registration number (適格請求書)."""
        from .validators import is_registration_number

        return is_registration_number(self.issuer_registration_number)


class IssuerDetails(models.Model):
    """What a reception body prints on its invoices besides its name and address: how to reach
    its fee desk and where to pay. Kept per body and copied onto each invoice at issue, so a
    later change of bank account never alters an invoice already issued."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("reception body"),
        on_delete=models.CASCADE,
        related_name="issuer_details",
    )
    contact = models.TextField(
        _("contact"),
        max_length=500,
        blank=True,
        help_text=_("Department, telephone and e-mail address printed on invoices."),
    )
    bank_transfer = models.TextField(
        _("bank transfer details"),
        max_length=500,
        blank=True,
        help_text=_("Bank, branch, account type and number, account holder (振込先)."),
    )

    class Meta:
        verbose_name = _("invoice details of a reception body")
        verbose_name_plural = _("invoice details of reception bodies")

    def __str__(self) -> str:
        return str(self.organisation)


class InvoiceDocument(models.Model):
    """The PDF of an issued invoice, rendered once at issue and kept as it was (retention):
    downloading it again gives the identical file, whatever changes in the code or fonts."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="document")
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.sha256[:12]}"


class Payment(models.Model):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments"
    )
    received_on = models.DateField(_("received on"))
    amount = models.BigIntegerField(_("amount"))
    method = models.CharField(
        _("method"),
        max_length=20,
        choices=PaymentMethod.choices,
        default=PaymentMethod.BANK_TRANSFER,
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fees_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}: {self.amount}"


class OverdueNotice(models.Model):
    """Marks an invoice as found overdue, once; the overdue notifications follow from it."""

    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="overdue_notice")
    detected_on = models.DateField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.invoice_id} overdue since {self.detected_on}"
