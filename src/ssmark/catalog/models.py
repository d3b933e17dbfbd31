from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    ISP = "isp", _("ISP version")
    PUBLIC_WIFI = "public_wifi", _("Public wireless LAN version")


class ReviewType(models.TextChoices):
    NEW = "new", _("New")
    RENEWAL = "renewal", _("Renewal")


class CriteriaSet(models.Model):
    """A criteria set loaded from a YAML file shipped in `ssmark.criteria`.

    `definition` keeps the validated set exactly as loaded, so an application pinned to this set
    is always assessed by the rules it was made under, even after newer sets are added.
    """

    set_id = models.CharField(_("set id"), max_length=100, unique=True)
    title = models.CharField(_("title (Japanese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    applies_from = models.DateField(_("applies from"))
    source_sha256 = models.CharField(_("source SHA-256"), max_length=64)
    definition = models.JSONField(_("definition"))
    loaded = models.DateTimeField(_("loaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["scheme", "-applies_from"]

    def __str__(self) -> str:
        return self.localized_title

    @property
    def localized_title(self) -> str:
        return self.title_en if (get_language() or "ja").startswith("en") else self.title


class Category(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title (Japanese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="category_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_title}"

    @property
    def localized_title(self) -> str:
        return self.title_en if (get_language() or "ja").startswith("en") else self.title


class ItemKind(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    POINTS = "points", _("Points")
    GRADED = "graded", _("Graded")


class Item(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("requirement (Japanese)"))
    text_en = models.TextField(_("requirement (English)"))
    evidence = models.JSONField(_("evidence kinds"), default=list)
    # Per review type: kind (mandatory / points / graded) and points or grade range.
    new_kind = models.CharField(_("kind on a new review"), max_length=20, choices=ItemKind.choices)
    new_points = models.PositiveIntegerField(_("points on a new review"), default=0)
    renewal_kind = models.CharField(_("kind on renewal"), max_length=20, choices=ItemKind.choices)
    renewal_points = models.PositiveIntegerField(_("points on renewal"), default=0)
    grade_min = models.PositiveIntegerField(null=True, blank=True)
    grade_max = models.PositiveIntegerField(null=True, blank=True)
    zero_fails = models.BooleanField(_("a grade of 0 fails"), default=False)

    class Meta:
        verbose_name = _("criteria item")
        verbose_name_plural = _("criteria items")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="item_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def localized_text(self) -> str:
        return self.text_en if (get_language() or "ja").startswith("en") else self.text

    def kind_for(self, review_type: str) -> str:
        return self.new_kind if review_type == ReviewType.NEW else self.renewal_kind

    def points_for(self, review_type: str) -> int:
        return self.new_points if review_type == ReviewType.NEW else self.renewal_points

    @property
    def is_graded(self) -> bool:
        return self.new_kind == ItemKind.GRADED or self.renewal_kind == ItemKind.GRADED
