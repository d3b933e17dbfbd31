from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.accounts.models import Role, User
from ssmark.applications.models import Application
from ssmark.catalog.models import Item
from ssmark.core.textlimit import limited_text

from .models import Decision, FindingValue, ReviewFinding
from .people import person_name


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("First reviewer"), queryset=User.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reviewers_of_body(application.reception_body_id)
        field.label_from_instance = person_name  # type: ignore[method-assign,assignment]


def reviewers_of_body(reception_body_id: int) -> Any:
    return (
        User.objects.filter(
            is_active=True, organisation_id=reception_body_id, roles__role=Role.FIRST_REVIEWER
        )
        .distinct()
        .order_by("username")
    )


class FindingForm(forms.Form):
    """One item's finding: met / not met (or a grade for graded items) and a comment."""

    finding = forms.ChoiceField(
        label=pgettext_lazy("review", "Finding"),
        choices=FindingValue.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    grade = forms.TypedChoiceField(label=_("Grade"), required=False, coerce=int, empty_value=None)
    comment = limited_text(label=_("Reviewer's comment"), required=False, rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args: Any,
        item: Item,
        graded: bool,
        finding: ReviewFinding | None = None,
        **kwargs: Any,
    ) -> None:
        if finding is not None and "data" not in kwargs and not args:
            kwargs["initial"] = {
                "finding": finding.finding,
                "grade": finding.grade,
                "comment": finding.comment,
                "version": finding.version,
            }
        kwargs.setdefault("initial", {"version": 0, "finding": ""})
        kwargs.setdefault("prefix", f"item-{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item
        self.graded = graded
        if graded:
            del self.fields["finding"]
            low, high = item.grade_min or 0, item.grade_max or 0
            grade = self.fields["grade"]
            assert isinstance(grade, forms.TypedChoiceField)
            grade.choices = [
                ("", _("Not yet assessed")),
                *((g, str(g)) for g in range(low, high + 1)),
            ]
        else:
            del self.fields["grade"]


class ReturnForm(forms.Form):
    """Return for correction: an overall comment and one comment field per item."""

    overall_comment = limited_text(label=_("Overall comment"), required=False, rows=3)

    def __init__(self, *args: Any, items: list[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[self.field_name(item.code)] = limited_text(
                label=item.code, required=False, rows=2
            )

    @staticmethod
    def field_name(code: str) -> str:
        return f"comment_{code}"

    def item_comments(self) -> dict[str, str]:
        return {
            item.code: self.cleaned_data.get(self.field_name(item.code), "") for item in self.items
        }

    def bound_field_for(self, code: str) -> forms.BoundField:
        return self[self.field_name(code)]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reasons = limited_text(label=_("Reasons"), required=False, rows=3)
    override = forms.BooleanField(
        label=_("Pass by override although the verdict does not pass"), required=False
    )
    override_reason = limited_text(
        label=_("Written reason for the override"), required=False, rows=3
    )


class ReplyForm(forms.Form):
    """The applicant's answer to one of the reviewer's comments."""

    reply = limited_text(label=_("Your answer to the reviewer"), rows=2)
