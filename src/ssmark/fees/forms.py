from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FeeKind, InvoiceStatus, PaymentMethod


class PaymentForm(forms.Form):
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.IntegerField(label=_("Amount (yen)"), min_value=1)
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3})
    )
    new_amount = forms.IntegerField(
        label=_("Amount of the new invoice (yen)"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to cancel the invoice without issuing a new one."),
    )


class InvoiceFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    body = forms.CharField(label=_("Reception body"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *InvoiceStatus.choices]
    )
    fee = forms.ChoiceField(label=_("Fee"), required=False, choices=[("", "—"), *FeeKind.choices])
