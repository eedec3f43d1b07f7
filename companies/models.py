from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.identifiers import compact_npwp, validate_npwp


class CompanyStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class BusinessType(models.TextChoices):
    RETAILER = "retailer", _("Retailer")
    WHOLESALER = "wholesaler", _("Wholesaler")
    CATERER = "caterer", _("Caterer")
    BRAND = "brand", _("Brand")
    OTHER = "other", _("Other")


class PaymentTerms(models.IntegerChoices):
    NET_14 = 14, _("Net 14 days")
    NET_30 = 30, _("Net 30 days")


class CompanyQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=CompanyStatus.VERIFIED)


class Company(models.Model):
    """A business buyer (off-taker). Its members see wholesale prices only once programme staff verify it."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    npwp = models.CharField(
        _("NPWP"),
        max_length=16,
        unique=True,
        validators=[validate_npwp],
        help_text=_("Tax number: 15 digits (e.g. 01.234.567.4-901.000) or the 16-digit NIK-based format."),
    )
    business_type = models.CharField(_("business type"), max_length=20, choices=BusinessType.choices)
    address = models.TextField(_("address"))
    contact_name = models.CharField(_("contact name"), max_length=128)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact email"))

    status = models.CharField(
        _("status"), max_length=20, choices=CompanyStatus.choices, default=CompanyStatus.APPLIED, db_index=True
    )
    # Set by programme staff: how much unpaid invoice value the company may carry, and the terms.
    credit_limit = models.PositiveBigIntegerField(
        _("credit limit (Rp)"), default=0, help_text=_("0 means the company cannot pay by invoice.")
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms"), choices=PaymentTerms.choices, default=PaymentTerms.NET_30
    )
    # Set by the company's approvers: orders above this total wait for an approver.
    approval_threshold = models.PositiveBigIntegerField(
        _("approval threshold (Rp)"),
        null=True,
        blank=True,
        help_text=_("Orders by buyers above this total need an approver's approval. Empty: no approval needed."),
    )
    status_reason = models.TextField(_("status reason"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        db_table = "offtakers_company"  # kept from the offtakers app this model moved out of
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["legal_name"]
        permissions = [("verify_company", _("Can verify off-taker companies"))]

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        self.npwp = compact_npwp(self.npwp)

    @property
    def is_verified(self) -> bool:
        return self.status == CompanyStatus.VERIFIED


class MembershipRole(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    APPROVER = "approver", _("Approver")


class CompanyMembership(models.Model):
    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="company_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.BUYER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "offtakers_companymembership"  # kept from the offtakers app this model moved out of
        verbose_name = _("company membership")
        verbose_name_plural = _("company memberships")
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="offtakers_unique_member")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"


# Account history and member invitations live in their own module; imported here so Django registers them.
from companies.account_models import CompanyEvent, CompanyEventKind, CompanyInvitation  # noqa: E402,F401
