from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Organisation, OrganisationKind
from ssmark.catalog.models import Scheme

from .models import Bulletin
from .services import validate_links


class BulletinForm(forms.ModelForm):
    reception_bodies = forms.ModelMultipleChoiceField(
        label=_("Reception bodies"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.RECEPTION_BODY).order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: holders of every reception body."),
    )

    class Meta:
        model = Bulletin
        fields = ["title", "severity", "body", "links", "scheme", "reception_bodies"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "links": forms.Textarea(
                attrs={"rows": 3, "placeholder": "https://www.jpcert.or.jp/at/2026/at260001.html"}
            ),
        }
        help_texts = {
            "links": _("One address per line, e.g. a JPCERT/CC advisory."),
            "scheme": _("Empty: holders of every scheme version."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [("", _("All")), *Scheme.choices]  # type: ignore[attr-defined]

    def clean_links(self) -> str:
        links: str = self.cleaned_data.get("links", "")
        validate_links(links)
        return "\n".join(line.strip() for line in links.splitlines() if line.strip())
