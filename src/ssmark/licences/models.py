from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.applications.models import IncidentKind
from ssmark.catalog.models import Scheme


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RENEWAL_PENDING = "renewal_pending", _("Renewal pending")
    LAPSED = "lapsed", _("Lapsed")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


# A mark shows as valid only in these states.
VALID_STATUSES = frozenset({LicenceStatus.ACTIVE, LicenceStatus.RENEWAL_PENDING})
# The same, in a fixed order: the registry's filter, literally equal to its partial index's
# condition (SQLite uses a partial index only when the query's term matches it).
REGISTRY_STATUSES = ["active", "renewal_pending"]


class Licence(models.Model):
    """A mark usage licence (マーク使用許諾), numbered J/T/D + 4 digits, never reused.

    A renewal keeps the number: the same Licence row gets a new validity period.
    """

    # Letter + zero-padded serial (J0072). max_length leaves room for a fifth digit should the
    # one global counter ever pass 9999 (see services.issue_licence).
    number = models.CharField(_("licence number"), max_length=8, unique=True)
    # The digits of the number: one counter for all reception bodies, so ordering by serial is
    # grant order, as the scheme's public list is.
    serial = models.PositiveIntegerField(_("serial"), unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="licences",
    )
    service_name = models.CharField(_("service name"), max_length=200)
    scheme = models.CharField(
        _("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.ISP
    )
    reception_body = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reception body"),
        on_delete=models.PROTECT,
        related_name="issued_licences",
    )
    # The application that was approved most recently (new or renewal); null for licences
    # imported from the paper era (the demo's registry).
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="licences",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LicenceStatus.choices,
        default=LicenceStatus.ACTIVE,
        # No plain index: the registry's partial index (below) serves the hot filter, and a
        # status index would tempt the planners into sorting instead of walking it.
    )
    first_granted_on = models.DateField(_("licensed since"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # NFKC-normalised, case-folded "service company" for the registry search (full-width and
    # half-width forms match each other); kept up to date by `refresh_search_key()`.
    search_key = models.TextField(_("search key"), blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["serial"]
        indexes = [
            # The public registry: valid licences in number order. A partial index whose
            # condition is exactly the registry's filter, so both databases walk it in order
            # (LIMIT/OFFSET without a sort) and count from it.
            models.Index(
                fields=["serial"],
                condition=models.Q(status__in=REGISTRY_STATUSES),
                name="licence_registry",
            ),
            models.Index(fields=["valid_until"], name="licence_valid_until"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.service_name}"

    @property
    def is_valid(self) -> bool:
        """Valid today: by status AND dates (see ssmark.licences.validity)."""
        from .validity import is_valid

        return is_valid(self.status, self.valid_until)

    def refresh_search_key(self) -> None:
        org = self.organisation
        self.search_key = make_search_key(self.service_name, org.name, org.name_en)


def normalise(text: str) -> str:
    """The form used for searching: NFKC (full-width ＡＢＣ１２３ = ABC123, half-width ｶﾅ = カナ),
    case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def make_search_key(*parts: str) -> str:
    return "\n".join(normalise(p) for p in parts if p)


class LicenceCounter(models.Model):
    """The one counter for licence-number digits (row "licence"), locked while a number is
    taken. It only ever goes up, so a number is never reused even if a licence row vanished."""

    name = models.CharField(primary_key=True, max_length=20)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("licence number counter")
        verbose_name_plural = _("licence number counters")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class PublicVersion(models.Model):
    """One row (id 1) whose token changes, in the same transaction, with every change to the
    public licence data (licences, their status changes, organisation names). Database
    triggers (migration 0005) write it, so nothing can change a licence without it: server
    processes compare it with their snapshot's token to know when to reload
    (ssmark.licences.snapshot)."""

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data version")

    def __str__(self) -> str:
        return str(self.token)


class TermKind(models.TextChoices):
    NEW = "new", _("New licence")
    RENEWAL = "renewal", _("Renewal")
    IMPORTED = "imported", _("Imported record")


class LicenceTerm(models.Model):
    """One validity period of a licence: granted by a new or renewal application (or imported
    from the paper-era register). Its pass notice (合格通知書) is rendered from this row."""

    licence = models.ForeignKey(
        Licence, on_delete=models.CASCADE, related_name="terms", verbose_name=_("licence")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=TermKind.choices)
    application = models.OneToOneField(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="licence_term",
        verbose_name=_("application"),
    )
    approved_on = models.DateField(_("approved on"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    notice_date = models.DateField(_("pass notice date"))
    # The day the pass notice counts as received, from which the first annual fee's due date
    # counts: the day the holder confirmed receipt in the app (「受け取った日から起算」) or, as a
    # fallback, the notice date plus pass_notice.deemed_received_days (scheme.yaml).
    notice_received_on = models.DateField(_("pass notice deemed received on"))
    receipt_confirmed_on = models.DateField(
        _("receipt confirmed by the holder on"), null=True, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence term")
        verbose_name_plural = _("licence terms")
        ordering = ["licence", "valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.licence_id}: {self.valid_from}–{self.valid_until}"


class Ground(models.TextChoices):
    """The grounds on which the council may suspend or revoke a licence."""

    REPORT_NOT_MADE = "report_not_made", _("An incident report was not made or was inadequate")
    INVESTIGATION_REFUSED = (
        "investigation_refused",
        _("An investigation was refused without good reason"),
    )
    RECOMMENDATION_IGNORED = (
        "recommendation_ignored",
        _("A recommendation was ignored without good reason"),
    )


class StatusChange(models.Model):
    """One change of a licence's status, with its ground (suspension, revocation) and reason."""

    licence = models.ForeignKey(
        Licence, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("licence")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=LicenceStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=LicenceStatus.choices)
    ground = models.CharField(_("ground"), max_length=30, choices=Ground.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["licence", "created", "id"]

    def __str__(self) -> str:
        return f"{self.licence_id}: {self.from_status} → {self.to_status}"


class RenewalLink(models.Model):
    """Ties a renewal application to the licence it renews (and the term it extends)."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="renewal_link",
        verbose_name=_("application"),
    )
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="renewals", verbose_name=_("licence")
    )
    # The end of the validity period this renewal extends.
    renews_until = models.DateField(_("renews the period ending"))
    created = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        verbose_name = _("renewal")
        verbose_name_plural = _("renewals")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.licence_id} ← {self.application_id}"


class ReminderKind(models.TextChoices):
    WINDOW_OPEN = "window_open", _("Renewal window open")
    DEADLINE_NEAR = "deadline_near", _("Renewal deadline approaching")


class RenewalReminder(models.Model):
    """A renewal reminder that was due for one validity period: recorded once, so the daily
    job never sends it twice."""

    licence = models.ForeignKey(
        Licence, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("licence")
    )
    valid_until = models.DateField(_("for the period ending"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    days_before_deadline = models.PositiveIntegerField(_("days before the deadline"))
    due_on = models.DateField(_("due on"))
    # False when a more urgent reminder was due at the same run and this one was skipped.
    sent = models.BooleanField(_("sent"), default=True)
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        ordering = ["licence", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "valid_until", "kind", "days_before_deadline"],
                name="renewal_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.kind} {self.due_on}"


# --- Incidents --------------------------------------------------------------------------------


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    INVESTIGATING = "investigating", _("Under investigation")
    CLOSED = "closed", pgettext_lazy("incident", "Closed")


class IncidentReport(models.Model):
    """A licence holder's report of a security-failure outage or a personal-data leak."""

    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, related_name="incidents", verbose_name=_("licence")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("date of the incident"))
    summary = models.TextField(pgettext_lazy("incident", "what happened"))
    impact = models.TextField(_("impact"))
    measures = models.TextField(_("measures taken"))
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["-reported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.occurred_on} {self.get_kind_display()}"


class Investigation(models.Model):
    """What the committee or secretariat found when investigating an incident."""

    incident = models.ForeignKey(
        IncidentReport,
        on_delete=models.CASCADE,
        related_name="investigations",
        verbose_name=_("incident"),
    )
    findings = models.TextField(pgettext_lazy("incident", "findings"))
    # The holder refused to cooperate (one of the grounds for revocation when without reason).
    refused = models.BooleanField(_("the holder refused the investigation"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.findings[:40]}"


class Recommendation(models.Model):
    """A recommendation or request for correction to the holder, with an answer-by date."""

    incident = models.ForeignKey(
        IncidentReport,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("incident"),
    )
    text = models.TextField(_("recommendation"))
    respond_by = models.DateField(_("respond by"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.text[:40]}"


class RecommendationResponse(models.Model):
    """The holder's response to a recommendation."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("recommendation"),
    )
    text = models.TextField(_("response"))
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created = models.DateTimeField(_("responded"), auto_now_add=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.text[:40]}"
