from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.accounts.models import User
from ssmark.core.textlimit import limited_text

from .models import AgendaDecision, Session
from .services import committee_members


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ChairChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Held online"), required=False)
    chair = ChairChoiceField(
        label=_("Chair"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(not yet decided)"),
    )
    members = MemberChoiceField(
        label=_("Members present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = limited_text(label=_("Notes"), required=False, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = committee_members()
        self.fields["chair"].queryset = members  # type: ignore[attr-defined]
        self.fields["members"].queryset = members  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, session: Session) -> dict[str, Any]:
        return {
            "date": session.date,
            "start_time": session.start_time,
            "place": session.place,
            "online": session.online,
            "chair": session.chair,
            "notes": session.notes,
            "members": list(session.members.all()),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("committee decision", "Decision"),
        choices=AgendaDecision.choices,
        widget=forms.RadioSelect,
    )
    reasons = limited_text(
        label=_("Reasons"),
        required=False,
        rows=4,
        help_text=_("Required for a rejection or a deferral; they appear in the minutes."),
    )
    members_present = MemberChoiceField(
        label=_("Members present at the decision"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        present = session.members.order_by("last_name", "first_name", "username")
        self.fields["members_present"].queryset = present  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("members_present", list(present))


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.date:%Y-%m-%d} ({obj.get_status_display()})"


class MoveItemForm(forms.Form):
    """Move an undecided application to another session that is not closed."""

    to_session = SessionChoiceField(
        label=_("Move to the session of"), queryset=Session.objects.none()
    )
    reason = limited_text(
        label=_("Reason for the move"),
        rows=2,
        error_messages={
            "required": _("Give the reason for moving the application to another session.")
        },
    )

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_session"].queryset = sessions  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    """A written reason (opening a session early, deleting a session)."""

    reason = limited_text(label=_("Reason"), rows=2)


class OptionalReasonForm(forms.Form):
    reason = limited_text(label=_("Reason (optional)"), rows=2, required=False)
