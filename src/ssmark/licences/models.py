from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ssmark.catalog.models import Scheme


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RENEWAL_PENDING = "renewal_pending", _("Renewal pending")
    LAPSED = "lapsed", _("Lapsed")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


# A mark shows as valid only in these states.
VALID_STATUSES = frozenset({LicenceStatus.ACTIVE, LicenceStatus.RENEWAL_PENDING})


class Licence(models.Model):
    """A mark usage licence (マーク使用許諾), numbered J/T/D + 4 digits, never reused.

    A renewal keeps the number: the same Licence row gets a new validity period.
    """

    number = models.CharField(_("licence number"), max_length=5, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("company"), on_delete=models.PROTECT,
        related_name="licences",
    )
    service_name = models.CharField(_("service name"), max_length=200)
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.ISP)
    reception_body = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("reception body"), on_delete=models.PROTECT,
        related_name="issued_licences",
    )
    # The application that was approved most recently (new or renewal); null for licences
    # imported from the paper era (the demo's registry).
    application = models.ForeignKey(
        "applications.Application", verbose_name=_("application"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="licences",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE,
        db_index=True,
    )
    first_granted_on = models.DateField(_("licensed since"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.service_name}"

    @property
    def is_valid(self) -> bool:
        return self.status in VALID_STATUSES
