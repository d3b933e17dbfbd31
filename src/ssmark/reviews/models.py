"""The first review (一次審査): who reviews, the reviewer's findings, returns and the decision.

The reviewer's findings (not the applicant's claims) feed the official verdict. Every change
goes through `ssmark.reviews.services`, which checks state and role and writes the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    PASSED = "passed", _("Passed to the second review")
    REJECTED = "rejected", _("Rejected")


class FindingValue(models.TextChoices):
    UNANSWERED = "", _("Not yet assessed")
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


class FirstReview(models.Model):
    """One application's first review: the assigned reviewer and, in the end, the decision."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="first_review",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first reviewer"),
        on_delete=models.PROTECT,
        related_name="first_reviews",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    override = models.BooleanField(
        _("passed by override"),
        default=False,
        help_text=_("Passed although the verdict from the findings did not pass."),
    )
    override_reason = models.TextField(_("override reason"), blank=True)
    # The official verdict at the time of the decision (points, unmet mandatory items…).
    verdict_summary = models.JSONField(_("verdict at decision"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("first review")
        verbose_name_plural = _("first reviews")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(override=False) | ~models.Q(override_reason=""),
                name="first_review_override_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.reviewer}"


class ReviewFinding(models.Model):
    """The reviewer's finding on one item of one application.

    `version` grows by one on every save; a save names the version it was based on and fails
    (instead of overwriting) when someone else saved in between.
    """

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="review_findings",
    )
    item = models.ForeignKey(
        "catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.CharField(
        _("finding"), max_length=10, choices=FindingValue.choices, blank=True, default=""
    )
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("review finding")
        verbose_name_plural = _("review findings")
        ordering = ["application", "item__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "item"], name="review_finding_unique_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.item_id} {self.finding or '-'}"

    @property
    def is_answered(self) -> bool:
        return bool(self.finding) or self.grade is not None


class ReturnRound(models.Model):
    """One return for correction: who returned the application, when, and why (per item)."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="return_rounds",
    )
    number = models.PositiveIntegerField(_("round"))
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("returned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned"))
    comment = models.TextField(_("overall comment"), blank=True)

    class Meta:
        verbose_name = _("return for correction")
        verbose_name_plural = _("returns for correction")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="return_round_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} #{self.number}"


class ReturnComment(models.Model):
    round = models.ForeignKey(
        ReturnRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="comments"
    )
    item = models.ForeignKey(
        "catalog.Item", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"))
    # The applicant's answer to this comment (shown to the reviewer beside the changes).
    reply = models.TextField(_("applicant's answer"), blank=True)
    replied_at = models.DateTimeField(_("answered"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("return comment")
        verbose_name_plural = _("return comments")
        ordering = ["round", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "item"], name="return_comment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.item}"
