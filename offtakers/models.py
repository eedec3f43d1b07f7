from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.identifiers import compact_npwp, validate_npwp
from core.money import format_rupiah


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
        help_text=_("Tax number: 15 digits (e.g. 01.234.567.8-901.000) or the 16-digit NIK-based format."),
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
        verbose_name = _("company membership")
        verbose_name_plural = _("company memberships")
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="offtakers_unique_member")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"


class PriceTier(models.Model):
    """A volume price for verified off-takers: from `min_quantity` units, each costs `unit_price` rupiah."""

    stockrecord = models.ForeignKey(
        "partner.StockRecord", verbose_name=_("stock record"), on_delete=models.CASCADE, related_name="price_tiers"
    )
    min_quantity = models.PositiveIntegerField(_("minimum quantity"), validators=[MinValueValidator(2)])
    unit_price = models.PositiveIntegerField(_("unit price (Rp)"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        ordering = ["stockrecord", "min_quantity"]
        constraints = [
            models.UniqueConstraint(fields=["stockrecord", "min_quantity"], name="offtakers_unique_tier_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.min_quantity}+ @ {format_rupiah(self.unit_price)}"

    def clean(self) -> None:
        if not self.stockrecord_id or self.min_quantity is None or self.unit_price is None:
            return
        # Buying more must never cost more per unit: compare with the neighbouring tiers and the retail price.
        others = PriceTier.objects.filter(stockrecord_id=self.stockrecord_id).exclude(pk=self.pk)
        lower = others.filter(min_quantity__lt=self.min_quantity).order_by("-min_quantity").first()
        higher = others.filter(min_quantity__gt=self.min_quantity).order_by("min_quantity").first()
        ceiling = lower.unit_price if lower else self.stockrecord.price
        if ceiling is not None and self.unit_price > ceiling:
            raise ValidationError(
                {"unit_price": _("A tier price must not be higher than the price for smaller quantities.")}
            )
        if higher and self.unit_price < higher.unit_price:
            raise ValidationError(
                {"unit_price": _("A tier price must not be lower than the price for larger quantities.")}
            )


class WholesaleTerms(models.Model):
    """Wholesale conditions of one stock record; the MOQ applies to verified off-takers only."""

    stockrecord = models.OneToOneField(
        "partner.StockRecord", verbose_name=_("stock record"), on_delete=models.CASCADE, related_name="wholesale_terms"
    )
    moq = models.PositiveIntegerField(_("minimum order quantity"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("wholesale terms")
        verbose_name_plural = _("wholesale terms")

    def __str__(self) -> str:
        return f"MOQ {self.moq}"


class PurchasePaymentMethod(models.TextChoices):
    """How an off-taker pays: the consumer methods (same codes as checkout's) or on invoice with terms."""

    INVOICE = "invoice", _("Invoice (pay later with terms)")
    CARD = "card", _("Credit or debit card")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")


class CompanyOrder(models.Model):
    """Ties an Oscar order to the company it was bought for, so every member can follow it."""

    order = models.OneToOneField(
        "order.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="company_order"
    )
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT, related_name="orders")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    payment_method = models.CharField(_("payment method"), max_length=20, choices=PurchasePaymentMethod.choices)
    po_number = models.CharField(_("purchase order number"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("company order")
        verbose_name_plural = _("company orders")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order.number} ({self.company})"


class PurchaseRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    PLACED = "placed", _("Approved and placed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Withdrawn")


class PurchaseRequest(models.Model):
    """An order a buyer submitted above the company's approval threshold, held until an approver decides."""

    company = models.ForeignKey(
        Company, verbose_name=_("company"), on_delete=models.CASCADE, related_name="purchase_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PurchaseRequestStatus.choices,
        default=PurchaseRequestStatus.PENDING,
        db_index=True,
    )
    payment_method = models.CharField(_("payment method"), max_length=20, choices=PurchasePaymentMethod.choices)
    po_number = models.CharField(_("purchase order number"), max_length=64, blank=True)
    shipping_address = models.ForeignKey(
        "order.ShippingAddress", verbose_name=_("shipping address"), on_delete=models.PROTECT, related_name="+"
    )
    estimated_total = models.DecimalField(_("estimated total"), max_digits=14, decimal_places=2)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    order = models.OneToOneField(
        "order.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchase_request",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"PR-{self.pk} {self.company}"


class PurchaseRequestLine(models.Model):
    request = models.ForeignKey(
        PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE, related_name="lines"
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", verbose_name=_("stock record"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    # A fixed price (from an accepted quote) is kept at placement; otherwise the tier price then applies.
    is_price_fixed = models.BooleanField(_("fixed price"), default=False)

    class Meta:
        verbose_name = _("purchase request line")
        verbose_name_plural = _("purchase request lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.stockrecord}"


# Account history and member invitations live in their own module; imported here so Django registers them.
from offtakers.account_models import CompanyEvent, CompanyEventKind, CompanyInvitation  # noqa: E402,F401
