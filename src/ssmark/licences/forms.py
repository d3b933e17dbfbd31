from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.applications.models import IncidentKind
from ssmark.core.textlimit import limited_text

from .models import Ground
from .services.rules import ERROR_REASON_REQUIRED

ERROR_NUMBER_MISMATCH = _(
    "The licence number you typed (%(typed)s) is not this licence's number (%(number)s)."
)


class StatusChangeForm(forms.Form):
    """Suspend or revoke, confirmed: one of the scheme's grounds, a written reason and the
    licence number typed again (so the change cannot happen by a slip of the mouse)."""

    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices)
    reason = limited_text(
        label=_("Reason"), rows=3, error_messages={"required": ERROR_REASON_REQUIRED}
    )
    confirm_number = forms.CharField(
        label=_("Type the licence number to confirm"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args: object, licence_number: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.licence_number = licence_number

    def clean_confirm_number(self) -> str:
        typed = self.cleaned_data["confirm_number"].strip().upper()
        if typed != self.licence_number.upper():
            raise forms.ValidationError(
                ERROR_NUMBER_MISMATCH % {"typed": typed, "number": self.licence_number}
            )
        return typed


class ReinstateForm(forms.Form):
    reason = limited_text(
        label=_("Reason"), rows=2, error_messages={"required": ERROR_REASON_REQUIRED}
    )


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_on = forms.DateField(
        label=_("Date of the incident"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = limited_text(label=pgettext_lazy("incident", "What happened"), rows=4)
    impact = limited_text(label=_("Impact (users, services, duration)"), rows=3)
    measures = limited_text(label=_("Measures taken"), rows=3)


class InvestigationForm(forms.Form):
    findings = limited_text(label=pgettext_lazy("incident", "Findings"), rows=4)
    refused = forms.BooleanField(label=_("The holder refused the investigation"), required=False)


class RecommendationForm(forms.Form):
    text = limited_text(label=_("Recommendation or request for correction"), rows=4)
    respond_by = forms.DateField(
        label=_("Respond by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ResponseForm(forms.Form):
    text = limited_text(label=_("Your response"), rows=4)


class CloseForm(forms.Form):
    reason = limited_text(label=_("Conclusion"), rows=2)
