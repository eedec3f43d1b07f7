"""A company's purchases: the order it placed and the requests waiting for an approver."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


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
        db_table = "offtakers_companyorder"  # kept from the offtakers app this model moved out of
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
        db_table = "offtakers_purchaserequest"  # kept from the offtakers app this model moved out of
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
        db_table = "offtakers_purchaserequestline"  # kept from the offtakers app this model moved out of
        verbose_name = _("purchase request line")
        verbose_name_plural = _("purchase request lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.stockrecord}"


class PurchaseRequestEvent(StatusEvent):
    """Audit row for every status change of a PurchaseRequest: held, then placed, rejected or withdrawn."""

    purchase_request = models.ForeignKey(
        PurchaseRequest, verbose_name=_("purchase request"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=PurchaseRequestStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=PurchaseRequestStatus.choices)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("purchase request event")
        verbose_name_plural = _("purchase request events")

    def __str__(self):
        return f"PR-{self.purchase_request_id}: {self.from_status or '-'} → {self.to_status}"


class PurchaseRequestTransitionNotAllowed(TransitionNotAllowed):
    """A decision that the purchase request's current status does not allow."""


PURCHASE_REQUEST_MACHINE = StateMachine(
    model=PurchaseRequest,
    transitions={
        PurchaseRequestStatus.PENDING: {
            PurchaseRequestStatus.PLACED,
            PurchaseRequestStatus.REJECTED,
            PurchaseRequestStatus.CANCELLED,
        },
        PurchaseRequestStatus.PLACED: set(),
        PurchaseRequestStatus.REJECTED: set(),
        PurchaseRequestStatus.CANCELLED: set(),
    },
    event_model=PurchaseRequestEvent,
    event_fk="purchase_request",
    error=PurchaseRequestTransitionNotAllowed,
)
