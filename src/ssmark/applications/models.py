from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ssmark.catalog.models import ReviewType, Scheme


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_FIRST_REVIEW = "in_first_review", _("In first review")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    FIRST_REVIEW_PASSED = "first_review_passed", _("Passed first review")
    FIRST_REVIEW_REJECTED = "first_review_rejected", _("Rejected at first review")
    APPROVED = "approved", _("Approved by the committee")
    COMMITTEE_REJECTED = "committee_rejected", _("Rejected by the committee")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    """An application for the mark (new or renewal) for one service of one applicant company.

    It pins the criteria set in force when it was created, so it is always assessed under the
    rules it was made under. State changes happen only through `ssmark.applications.services`.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    service_name = models.CharField(_("service name"), max_length=200)
    scheme = models.CharField(
        _("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.ISP
    )
    review_type = models.CharField(
        _("review type"), max_length=10, choices=ReviewType.choices, default=ReviewType.NEW
    )
    reception_body = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("reception body"),
        on_delete=models.PROTECT,
        related_name="received_applications",
    )
    criteria_set = models.ForeignKey(
        "catalog.CriteriaSet",
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    responsible_manager = models.CharField(_("responsible manager"), max_length=100, blank=True)
    responsible_manager_email = models.EmailField(_("responsible manager e-mail"), blank=True)
    pim_manager = models.CharField(
        _("personal-information protection manager"), max_length=100, blank=True
    )
    pim_manager_email = models.EmailField(
        _("personal-information protection manager e-mail"), blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # The date of (latest) submission: the scan freshness rule counts back from it.
    submitted_on = models.DateField(_("submission date"), null=True, blank=True)
    first_submitted_on = models.DateField(_("first submitted"), null=True, blank=True)
    # The incident declaration for the year before applying: either incidents are listed
    # (IncidentDeclaration rows) and confirmed complete, or "no incidents" is declared.
    # Submitting needs one of them; set by services.declare_no_incidents/confirm_incidents.
    incidents_declared_at = models.DateTimeField(
        _("incident declaration made"), null=True, blank=True
    )
    incidents_declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incident declaration by"),
    )
    no_incidents = models.BooleanField(_("no incidents in the year before applying"), default=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.service_name} ({self.get_review_type_display()})"

    @property
    def is_renewal(self) -> bool:
        return self.review_type == ReviewType.RENEWAL


# --- Self-assessment -------------------------------------------------------------------------


def _stored_name(instance: models.Model, filename: str) -> str:
    """Never used for naming in practice (services save files under random names themselves);
    kept so FileField has a deterministic, importable `upload_to`."""
    return f"applications/{filename}"


class Claim(models.TextChoices):
    MET = "met", _("Met")
    UNMET = "unmet", _("Not met")


class ItemAnswer(models.Model):
    """The applicant's self-assessment of one criteria item: claim (or grade), how it is met."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("application"),
    )
    item = models.ForeignKey(
        "catalog.Item", on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    # Met / not met for mandatory and points items; blank while unanswered or for graded items.
    claim = models.CharField(_("claim"), max_length=10, choices=Claim.choices, blank=True)
    # The grade claimed for a graded item (e.g. 0–5); null while unanswered or not graded.
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    explanation = models.TextField(_("how it is met"), blank=True)
    # Renewals start from the previous application's answers: "carried over — check again".
    carried_over = models.BooleanField(_("carried over, check again"), default=False)
    # Optimistic locking: incremented on every save; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("item answer")
        verbose_name_plural = _("item answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="item_answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.item_id}: {self.claim or self.grade}"

    @property
    def is_answered(self) -> bool:
        return bool(self.claim) or self.grade is not None


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    URL = "url", _("Web address")
    DECLARATION = "declaration", _("Signed declaration")


class Signer(models.TextChoices):
    RESPONSIBLE_MANAGER = "responsible_manager", _("Responsible manager")
    PIM_MANAGER = "pim_manager", _("Personal-information protection manager")


class StoredFile(models.Model):
    """Fields of a stored upload: kept under EVIDENCE_ROOT (outside the web root) under a
    random name, with the sniffed content type and SHA-256; served only by authorised views."""

    file = models.FileField(_("file"), upload_to=_stored_name, max_length=300, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def has_file(self) -> bool:
        return bool(self.file and self.file.name)


class Evidence(StoredFile):
    """One piece of evidence for an answer: a file, a web address, or a signed declaration
    (by the responsible manager or the personal-information protection manager, as the
    item's evidence kind asks; optionally with the scanned, sealed paper attached)."""

    answer = models.ForeignKey(
        ItemAnswer, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("answer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    url = models.URLField(_("web address"), max_length=2000, blank=True)
    signer = models.CharField(_("signer"), max_length=30, choices=Signer.choices, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=100, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    statement = models.TextField(_("declaration"), blank=True)
    # Copied from the previous application by a renewal (the same stored file, not a copy of
    # it): shown as "carried over — check again".
    carried_over = models.BooleanField(_("carried over, check again"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    created = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.original_name or self.url or self.get_kind_display()


class Submission(models.Model):
    """One submit / resubmit round, with a snapshot of everything submitted (answers and the
    hashes of the evidence), so a reviewer can see what changed since the last round."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("application"),
    )
    number = models.PositiveIntegerField(_("round"))
    submitted_on = models.DateField(_("submission date"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="submission_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} #{self.number} ({self.submitted_on})"


# --- Item 2-1-1: vulnerability diagnosis ----------------------------------------------------


class ScanState(models.TextChoices):
    QUEUED = "queued", _("Waiting to be read")
    RUNNING = "running", _("Being read")
    DONE = "done", _("Read")
    FAILED = "failed", _("Could not be read")


class ScanReport(StoredFile):
    """An uploaded diagnosis report and the job that reads it (queued → running → done or
    failed). Its findings and hosts are rows (ScanFinding, ScanHost), written by the job."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="scan_reports",
        verbose_name=_("application"),
    )
    format = models.CharField(_("format"), max_length=40, blank=True)
    # When the diagnosis was run (from the report), for the freshness rule.
    scanned_on = models.DateField(_("scanned on"), null=True, blank=True)
    # Small facts about the report: scanner, version, notes (never the findings).
    summary = models.JSONField(_("summary"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=ScanState.choices, default=ScanState.DONE, db_index=True
    )
    # Why it could not be read: a code of ssmark.scans.errors with its parameters.
    error_code = models.CharField(_("error"), max_length=40, blank=True)
    error_params = models.JSONField(_("error details"), default=dict, blank=True)
    bytes_done = models.PositiveBigIntegerField(_("bytes read"), default=0)
    host_count = models.PositiveIntegerField(_("hosts"), default=0)
    finding_count = models.PositiveIntegerField(_("findings"), default=0)
    without_v2_count = models.PositiveIntegerField(_("findings without a CVSS v2 score"), default=0)
    heartbeat = models.DateTimeField(_("last progress"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("scan report")
        verbose_name_plural = _("scan reports")
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.original_name


class ScanHost(models.Model):
    """A host a report scanned: its key (IP, else name), IP and other names."""

    report = models.ForeignKey(
        ScanReport, on_delete=models.CASCADE, related_name="hosts", verbose_name=_("report")
    )
    key = models.CharField(_("host"), max_length=255)
    ip = models.CharField(_("IP address"), max_length=64, blank=True)
    names = models.CharField(_("host names"), max_length=1000, blank=True)  # space-separated
    finished_at = models.DateTimeField(_("scan finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("scanned host")
        verbose_name_plural = _("scanned hosts")
        ordering = ["key"]
        indexes = [models.Index(fields=["report", "key"], name="scanhost_report_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def name_list(self) -> list[str]:
        return self.names.split() if self.names else []


class ScanBand(models.TextChoices):
    FAIL = "fail", _("Blocking")
    STATEMENT = "statement", _("Needs the written opinion")
    LOW = "low", _("Low")
    NONE = "none", _("No CVSS score")


class ScanFinding(models.Model):
    """One finding of a report (host, port, check) with its deciding CVSS score. `band` is
    the score against the criteria set's thresholds; `current` is False when a newer report
    of the same host supersedes it; `has_opinion` mirrors FindingStatement for fast counts."""

    # No single-column indexes on the two keys: the composite indexes below start with them
    # (fewer indexes to maintain when 100,000 rows arrive at once).
    report = models.ForeignKey(
        ScanReport,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("report"),
        db_index=False,
    )
    # The report's application, copied for the indexes. No database constraint: the report's
    # own (checked by the database) already ties every row to a real report and application,
    # and a second one would be checked again for each of a large report's 500,000 rows (two
    # of the eight seconds PostgreSQL takes to store them). Deleting an application still
    # deletes its rows (Django's cascade).
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("application"),
        db_index=False,
        db_constraint=False,
    )
    host = models.CharField(_("host"), max_length=255)
    port = models.CharField(_("port"), max_length=40, blank=True)
    check_name = models.CharField(_("check"), max_length=300)
    # "title" alone is a bulletin's subject (件名) elsewhere: a context keeps them apart.
    title = models.CharField(pgettext_lazy("scan finding", "title"), max_length=500, blank=True)
    cves = models.CharField(_("CVE"), max_length=1000, blank=True)  # space-separated
    base = models.FloatField(_("CVSS base score"), null=True, blank=True)
    version = models.CharField(_("CVSS version"), max_length=8, blank=True)
    vector = models.CharField(_("CVSS vector"), max_length=200, blank=True)
    band = models.CharField(
        pgettext_lazy("scan finding", "severity"), max_length=10, choices=ScanBand.choices
    )
    # The base score, -1 without one: the page order (most severe first) on one index.
    rank = models.FloatField(_("order"), default=-1.0)
    has_v2 = models.BooleanField(_("has a CVSS v2 score"), default=False)
    current = models.BooleanField(_("current"), default=True)
    has_opinion = models.BooleanField(_("written opinion given"), default=False)

    class Meta:
        verbose_name = _("scan finding")
        verbose_name_plural = _("scan findings")
        ordering = ["-rank", "id"]
        indexes = [
            models.Index(fields=["report", "host"], name="scanfinding_report_host"),
            models.Index(
                fields=["application", "band", "current", "has_opinion"],
                name="scanfinding_app_band",
            ),
            models.Index(fields=["application", "host"], name="scanfinding_app_host"),
            models.Index(fields=["application", "-rank", "id"], name="scanfinding_app_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.host} {self.port} {self.check_name}"

    def __getitem__(self, name: str) -> object:
        return self.get(name)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.host, self.port, self.check_name)

    @property
    def cve_list(self) -> list[str]:
        return self.cves.split() if self.cves else []

    # Read like the dicts the gate used to list (callers written before findings were rows).
    def get(self, name: str, default: object = None) -> object:
        if name == "cves":
            return self.cve_list
        if name == "statement":
            return True if self.has_opinion else None
        if name == "check":
            return self.check_name
        return getattr(self, name, default)


class ScanGateResult(models.Model):
    """The 2-1-1 gate of an application as computed when its reports, roles or written
    opinions (意見書) changed: pages read this row, never the findings (freshness, which depends on the day,
    is decided from the reports' dates at request time)."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="scan_gate_result",
        verbose_name=_("application"),
    )
    computed_at = models.DateTimeField(_("computed"), auto_now=True)
    blocking = models.PositiveIntegerField(_("blocking findings"), default=0)
    needs_opinion = models.PositiveIntegerField(
        _("findings needing the written opinion"), default=0
    )
    opinion_missing = models.PositiveIntegerField(_("written opinions missing"), default=0)
    without_v2 = models.PositiveIntegerField(_("findings without a CVSS v2 score"), default=0)
    roles_missing = models.JSONField(_("roles not covered"), default=list)
    fail_at = models.FloatField(_("blocking from"), default=0)
    statement_at = models.FloatField(_("written opinion from"), default=0)

    class Meta:
        verbose_name = _("scan gate result")
        verbose_name_plural = _("scan gate results")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.blocking}/{self.opinion_missing}"


class HostRole(models.TextChoices):
    DNS = "dns", _("DNS server")
    MAIL = "mail", _("Mail server")
    WEB = "web", _("Web server")
    AUTH = "auth", _("Authentication server")
    ROUTER = "router", _("Router")


class ScanHostRole(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="host_roles",
        verbose_name=_("application"),
    )
    host = models.CharField(_("host"), max_length=255)
    role = models.CharField(_("role"), max_length=10, choices=HostRole.choices)

    class Meta:
        verbose_name = _("scanned host role")
        verbose_name_plural = _("scanned host roles")
        ordering = ["host", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "host", "role"], name="scan_host_role_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host}: {self.get_role_display()}"


class FindingStatement(StoredFile):
    """The responsible manager's statement on a warning-level finding (CVSS ≥ 4.0): it was
    recognised and duly considered for the operator's network."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="finding_statements",
        verbose_name=_("application"),
    )
    host = models.CharField(_("host"), max_length=255)
    port = models.CharField(_("port"), max_length=20, blank=True)
    check_name = models.CharField(_("check"), max_length=300)
    statement = models.TextField(_("statement"))
    signer_name = models.CharField(_("responsible manager"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    created = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding statement")
        verbose_name_plural = _("finding statements")
        ordering = ["host", "port", "check_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "host", "port", "check_name"],
                name="finding_statement_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host}:{self.port} {self.check_name}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.host, self.port, self.check_name)


# --- Item 1-1-2: audits ---------------------------------------------------------------------


class AuditorKind(models.TextChoices):
    INTERNAL = "internal", _("Internal audit")
    EXTERNAL = "external", _("External audit")


class SecurityAuditRecord(StoredFile):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="audits",
        verbose_name=_("application"),
    )
    audited_on = models.DateField(_("audit date"))
    auditor = models.CharField(_("auditor"), max_length=200)
    auditor_kind = models.CharField(
        _("internal or external"), max_length=10, choices=AuditorKind.choices
    )
    # Codes of the audit items (from the criteria set's audit checklist) this audit covered.
    covered = models.JSONField(_("audit items covered"), default=list)
    # Copied from the previous application by a renewal (an audit of the last 12 months).
    carried_over = models.BooleanField(_("carried over, check again"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    created = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-audited_on", "id"]

    def __str__(self) -> str:
        return f"{self.audited_on} {self.auditor}"


# --- Incidents of the year before applying --------------------------------------------------


class IncidentKind(models.TextChoices):
    OUTAGE = "outage", _("Service outage caused by a system-security failure")
    LEAK = "leak", _("Personal-data leak")


class IncidentDeclaration(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="incidents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IncidentKind.choices)
    occurred_on = models.DateField(_("date"))
    summary = models.TextField(pgettext_lazy("incident", "what happened"))
    measures = models.TextField(_("measures taken"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("declared by"),
    )
    created = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident declaration")
        verbose_name_plural = _("incident declarations")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"
