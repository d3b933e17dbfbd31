from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from ssmark.accounts.models import Organisation, Role

from . import services


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    family_name = forms.CharField(label=_("Family name (optional)"), max_length=150, required=False)
    given_name = forms.CharField(label=_("Given name (optional)"), max_length=150, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = services.invitable_organisations(actor).order_by("kind", "name")
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        allowed = services.invitable_roles(actor)
        roles_field.choices = [(r.value, r.label) for r in Role if r.value in allowed]
        if len(allowed) == 1:
            roles_field.initial = allowed


class AcceptForm(forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=150)
    given_name = forms.CharField(label=_("Given name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=256,
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=256,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", services.ERROR_PASSWORDS_DIFFER)
        return data


class BilingualPasswordResetForm(PasswordResetForm):
    """Django's reset form; the e-mail is in Japanese and then English, with the site's
    public address (SSMARK_SITE_URL) in the link."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        services.send_bilingual(
            subject_template_name,
            email_template_name,
            {**context, "site_url": settings.SITE_URL},
            to=to_email,
            from_email=from_email,
        )
