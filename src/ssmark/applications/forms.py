"""Forms of the applicant's pages. Validation of business rules stays in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.accounts.models import Organisation, OrganisationKind
from ssmark.catalog.models import Scheme
from ssmark.core.textlimit import limited_text

from .models import AuditorKind, Claim, IncidentKind
from .sniff import ACCEPT_ATTR


class DateInput(forms.DateInput):
    input_type = "date"


def _file_input(scan: bool = False) -> forms.ClearableFileInput:
    attrs = {} if scan else {"accept": ACCEPT_ATTR}
    return forms.ClearableFileInput(attrs=attrs)


class ApplicationForm(forms.Form):
    service_name = forms.CharField(
        label=_("Service name"),
        max_length=200,
        help_text=_("The internet connection service this application is for."),
    )
    scheme = forms.ChoiceField(label=_("Scheme"), choices=Scheme.choices, initial=Scheme.ISP)
    reception_body = forms.ModelChoiceField(
        label=_("Reception body"),
        queryset=Organisation.objects.filter(kind=OrganisationKind.RECEPTION_BODY).order_by("code"),
        empty_label=None,
        help_text=_("The association that receives the application and runs the first review."),
    )
    responsible_manager = forms.CharField(label=_("Responsible manager"), max_length=100)
    responsible_manager_email = forms.EmailField(label=_("Responsible manager e-mail"))
    pim_manager = forms.CharField(
        label=_("Personal-information protection manager"), max_length=100
    )
    pim_manager_email = forms.EmailField(label=_("Personal-information protection manager e-mail"))
    # A new application only: a renewal starts from its licence (tied to the licence and its
    # renewal window; what is carried over is said item by item).


class ContactsForm(forms.Form):
    service_name = forms.CharField(label=_("Service name"), max_length=200)
    responsible_manager = forms.CharField(label=_("Responsible manager"), max_length=100)
    responsible_manager_email = forms.EmailField(label=_("Responsible manager e-mail"))
    pim_manager = forms.CharField(
        label=_("Personal-information protection manager"), max_length=100
    )
    pim_manager_email = forms.EmailField(label=_("Personal-information protection manager e-mail"))


class AnswerForm(forms.Form):
    claim = forms.ChoiceField(choices=[("", "—"), *Claim.choices], required=False)
    grade = forms.TypedChoiceField(
        choices=[("", "—")] + [(str(n), str(n)) for n in range(0, 11)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    explanation = limited_text(required=False, strip=False)
    version = forms.IntegerField(required=False, min_value=0)


class FileEvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), widget=_file_input())


class UrlEvidenceForm(forms.Form):
    url = forms.URLField(
        label=_("Web address"),
        max_length=2000,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )


class DeclarationForm(forms.Form):
    signer_name = forms.CharField(label=_("Signed and sealed by"), max_length=100)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput, required=False)
    statement = limited_text(label=_("Declaration"), rows=3)
    file = forms.FileField(
        label=_("Scan of the signed and sealed paper (optional)"),
        required=False,
        widget=_file_input(),
    )


class ScanReportForm(forms.Form):
    file = forms.FileField(label=_("Scan report"), widget=_file_input(scan=True))


class AuditForm(forms.Form):
    audited_on = forms.DateField(label=_("Audit date"), widget=DateInput)
    auditor = forms.CharField(label=_("Auditor"), max_length=200)
    auditor_kind = forms.ChoiceField(
        label=_("Internal or external"), choices=AuditorKind.choices, widget=forms.RadioSelect
    )
    covered = forms.MultipleChoiceField(
        label=_("Audit items covered"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    file = forms.FileField(label=_("Audit report"), required=False, widget=_file_input())

    def __init__(self, *args: Any, choices: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["covered"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices or []


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    summary = limited_text(label=pgettext_lazy("incident", "What happened"), rows=3)
    measures = limited_text(label=_("Measures taken"), rows=3)


class WithdrawForm(forms.Form):
    reason = limited_text(label=_("Reason (optional)"), required=False, rows=2)
    confirm = forms.BooleanField(label=_("Yes, withdraw this application"))


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that the answers and evidence are true and complete, and submit them "
            "to the reception body. They cannot be changed afterwards unless returned."
        )
    )


def upload_limit_mb() -> int:
    return int(settings.MAX_UPLOAD_MB)
