from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ssmark.applications.models import IncidentKind

from .models import Ground


class StatusChangeForm(forms.Form):
    """Suspend or revoke: one of the scheme's grounds and a written reason."""

    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReinstateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_on = forms.DateField(
        label=_("Date of the incident"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    impact = forms.CharField(
        label=_("Impact (users, services, duration)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea(attrs={"rows": 3}))


class InvestigationForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    refused = forms.BooleanField(label=_("The holder refused the investigation"), required=False)


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation or request for correction"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    respond_by = forms.DateField(
        label=_("Respond by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("Your response"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}))
