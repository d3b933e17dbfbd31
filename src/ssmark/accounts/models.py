from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_registration_number


class OrganisationKind(models.TextChoices):
    APPLICANT = "applicant", _("Applicant company")
    RECEPTION_BODY = "reception_body", _("Reception body")
    # Seed 002 names two: the council's (推進協議会事務局, at JAIPA) and the review committee's
    # (審査委員会事務局, at TELESA); `secretariat_of` says which one an organisation is.
    SECRETARIAT = "secretariat", _("Secretariat")


class SecretariatOf(models.TextChoices):
    COUNCIL = "council", _("Promotion Council secretariat")
    COMMITTEE = "committee", _("Review Committee secretariat")


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name (Japanese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    # Reception bodies only: short code (JAIPA, TELESA, TCA) and the licence-number letter.
    code = models.CharField(_("code"), max_length=20, blank=True)
    licence_letter = models.CharField(_("licence number letter"), max_length=1, blank=True)
    security_contact_email = models.EmailField(_("security contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # Secretariats only: whose secretariat it is, and the association that houses it
    # (「一般社団法人日本インターネットプロバイダー協会事務局内」).
    secretariat_of = models.CharField(
        _("secretariat of"), max_length=20, choices=SecretariatOf.choices, blank=True
    )
    hosted_by = models.ForeignKey(
        "self",
        verbose_name=_("housed at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_secretariats",
    )
    # Issuers of invoices (reception bodies) carry a qualified-invoice registration number
    # ("T" + 13 digits); blank for organisations that issue no invoices (full_clean skips the
    # validator for a blank value).
    invoice_registration_number = models.CharField(
        _("qualified invoice registration number"),
        max_length=14,
        blank=True,
        validators=[validate_registration_number],
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="organisation_code_unique"
            ),
            models.UniqueConstraint(
                fields=["licence_letter"],
                condition=~models.Q(licence_letter=""),
                name="organisation_licence_letter_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_reception_body(self) -> bool:
        return self.kind == OrganisationKind.RECEPTION_BODY

    @property
    def is_applicant(self) -> bool:
        return self.kind == OrganisationKind.APPLICANT

    @property
    def is_committee_secretariat(self) -> bool:
        """The review committee's secretariat, which runs the committee sessions."""
        return (
            self.kind == OrganisationKind.SECRETARIAT
            and self.secretariat_of == SecretariatOf.COMMITTEE
        )


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant member")
    RECEPTION_STAFF = "reception_staff", _("Reception staff")
    FIRST_REVIEWER = "first_reviewer", _("First reviewer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    # The standing chair of the review committee (審査委員長); also a committee member.
    COMMITTEE_CHAIR = "committee_chair", _("Committee chair")
    SECRETARIAT = "secretariat", _("Secretariat staff")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles whose holders may (and are encouraged to) turn on TOTP two-factor sign-in.
STAFF_ROLES = frozenset(
    {
        Role.RECEPTION_STAFF,
        Role.FIRST_REVIEWER,
        Role.COMMITTEE_MEMBER,
        Role.SECRETARIAT,
        Role.ADMINISTRATOR,
    }
)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # TOTP two-factor sign-in: a base32 secret, active once confirmed with a first code.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(_("two-factor sign-in"), default=False)
    totp_last_step = models.BigIntegerField(default=0)  # refuses replay of a used code
    # The person's language for pages, e-mails and notifications (the header's switch sets it).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        # Pages that print a person ({{ incident.reported_by }}) show the name, not the login.
        return self.display_name

    def get_full_name(self) -> str:
        """Family name first (姓 名), in every language: the scheme is Japanese."""
        return " ".join(part for part in (self.last_name, self.first_name) if part)

    @property
    def display_name(self) -> str:
        """How the person is shown on pages, histories and PDFs: their name, family name
        first; without a name, their e-mail address. Never the sign-in name, unless nothing
        else is known."""
        return self.get_full_name() or self.email or self.username

    def role_set(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_role_cache", None)
        if cached is None:
            cached = (
                frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            )
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        """True when the user holds any of `roles`."""
        return bool(self.role_set().intersection(roles))

    @property
    def is_staff_role(self) -> bool:
        return bool(self.role_set() & STAFF_ROLES)


def acts_for(user: object, organisation_id: int | None, *roles: str) -> bool:
    """True when `user` is an active, signed-in member of the organisation `organisation_id`
    holding any of `roles`: the per-object check behind "an applicant of this company",
    "reception staff of this body", "a first reviewer of this body"."""
    return bool(
        isinstance(user, User)
        and user.is_active
        and organisation_id is not None
        and user.organisation_id == organisation_id
        and user.has_role(*roles)
    )


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class LoginFailure(models.Model):
    """A sign-in attempt that has not (yet) succeeded, kept for throttling.

    A row is written *before* the password or code is checked and deleted again when it turns
    out right, so parallel attempts cannot all pass the check (see throttle.py)."""

    PASSWORD = "password"  # noqa: S105 - the kind of attempt, not a password
    CODE = "code"
    KIND_CHOICES = [(PASSWORD, "password"), (CODE, "second-factor code")]

    username = models.CharField(max_length=150, db_index=True)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=PASSWORD, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.created:%Y-%m-%d %H:%M}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app (stored hashed)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} recovery code {'used' if self.used_at else 'unused'}"
