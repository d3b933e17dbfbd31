from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        "accounts.Organisation", verbose_name=_("applicant"), on_delete=models.PROTECT,
        related_name="applications",
    )
    service_name = models.CharField(_("service name"), max_length=200)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.ISP)
    review_type = models.CharField(
        _("review type"), max_length=10, choices=ReviewType.choices, default=ReviewType.NEW
    )
    reception_body = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("reception body"), on_delete=models.PROTECT,
        related_name="received_applications",
    )
    criteria_set = models.ForeignKey(
        "catalog.CriteriaSet", verbose_name=_("criteria set"), on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT, db_index=True,
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
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("created by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # The date of (latest) submission: the scan freshness rule counts back from it.
    submitted_on = models.DateField(_("submission date"), null=True, blank=True)
    first_submitted_on = models.DateField(_("first submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.service_name} ({self.get_review_type_display()})"
