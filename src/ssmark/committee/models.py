"""The second review (二次審査): committee sessions, their agendas and the decisions.

Every change goes through `ssmark.committee.services`, which checks the actor's role and the
session's state, writes the audit trail and sends `events.committee_decided`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("In session")
    CLOSED = "closed", _("Closed")


class Session(models.Model):
    """One meeting of the review committee (審査委員会), scheduled by the secretariat."""

    date = models.DateField(_("date"), unique=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SessionStatus.choices,
        default=SessionStatus.PLANNED,
        db_index=True,
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members present"),
        related_name="+",
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee session")
        verbose_name_plural = _("committee sessions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.HELD


class AgendaDecision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("committee decision", "Rejected")
    DEFERRED = "deferred", _("Deferred to the next session")


class AgendaItem(models.Model):
    """One application on one session's agenda and, once recorded, the committee's decision.

    An application has at most one undecided agenda item at a time (a deferral decides the
    current item and opens a new one on the next session's agenda, linked by `carried_from`).
    """

    session = models.ForeignKey(
        Session,
        verbose_name=pgettext_lazy("committee", "session"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    position = models.PositiveIntegerField(_("position"))
    decision = models.CharField(
        pgettext_lazy("committee decision", "decision"),
        max_length=10,
        choices=AgendaDecision.choices,
        blank=True,
        default="",
    )
    reasons = models.TextField(_("reasons"), blank=True)
    decided_at = models.DateTimeField(
        pgettext_lazy("committee decision", "decided"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    members_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members present at the decision"),
        related_name="+",
        blank=True,
    )
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("deferred from"),
        on_delete=models.PROTECT,
        related_name="carried_to",
        null=True,
        blank=True,
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="agenda_item_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(decision=""),
                name="agenda_item_one_pending_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(decision__in=["", "approved"]) | ~models.Q(reasons=""),
                name="agenda_item_rejection_or_deferral_needs_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session.date:%Y-%m-%d} #{self.position} {self.application}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)
