from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


class SellerOrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    PAID = "paid", _("Paid")
    ACCEPTED = "accepted", _("Accepted")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


class SellerOrder(models.Model):
    """One pesantren's part of a customer's order: its lines, shipping, commission and status.

    A basket holding products of several pesantren becomes one Oscar Order (one payment) and one
    SellerOrder per pesantren. The lines are the Order's lines whose partner is the pesantren's.
    Amounts are whole rupiah. Status changes only through `fulfilment.services`.
    """

    order = models.ForeignKey(
        "order.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="seller_orders"
    )
    seller = models.ForeignKey(
        "sellers.Seller", verbose_name=_("pesantren"), on_delete=models.PROTECT, related_name="seller_orders"
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SellerOrderStatus.choices,
        default=SellerOrderStatus.PENDING_PAYMENT,
        db_index=True,
    )
    subtotal = models.DecimalField(_("subtotal"), max_digits=14, decimal_places=2)
    shipping_charge = models.DecimalField(_("shipping charge"), max_digits=14, decimal_places=2)
    commission_rate = models.DecimalField(
        _("commission rate"), max_digits=5, decimal_places=4, help_text=_("Fraction of the subtotal, e.g. 0.0500.")
    )
    commission = models.DecimalField(_("commission"), max_digits=14, decimal_places=2)
    refunded_amount = models.DecimalField(_("refunded amount"), max_digits=14, decimal_places=2, default=Decimal(0))
    total_weight_grams = models.PositiveIntegerField(_("total weight (grams)"), default=0)
    courier = models.CharField(_("courier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    seller_notified_at = models.DateTimeField(_("pesantren notified at"), null=True, blank=True)
    acceptance_reminded_at = models.DateTimeField(_("acceptance reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pesantren order")
        verbose_name_plural = _("pesantren orders")
        constraints = [models.UniqueConstraint(fields=["order", "seller"], name="one_seller_order_per_seller")]
        indexes = [models.Index(fields=["seller", "status"])]

    def __str__(self):
        return self.number

    @property
    def total(self) -> Decimal:
        """What the customer paid for this part: goods plus shipping."""
        return self.subtotal + self.shipping_charge

    @property
    def payable_to_seller(self) -> Decimal:
        """What the pesantren earns on completion: goods minus commission, plus shipping."""
        return self.subtotal - self.commission + self.shipping_charge

    def lines(self):
        return self.order.lines.filter(partner_id=self.seller.partner_id)


class SellerOrderEvent(StatusEvent):
    """Audit row for every status change of a SellerOrder."""

    seller_order = models.ForeignKey(SellerOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from status"), max_length=20, choices=SellerOrderStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=SellerOrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("pesantren order event")
        verbose_name_plural = _("pesantren order events")

    def __str__(self):
        return f"{self.seller_order}: {self.from_status or '-'} → {self.to_status}"


class SellerOrderTransitionNotAllowed(TransitionNotAllowed):
    """A status change that the SellerOrder's current status does not allow."""


S = SellerOrderStatus
SELLER_ORDER_MACHINE = StateMachine(
    model=SellerOrder,
    # The main path is pending_payment → paid → accepted → packed → shipped → delivered → completed;
    # any status before shipped may be cancelled; completed and cancelled parts may be refunded.
    transitions={
        S.PENDING_PAYMENT: {S.PAID, S.CANCELLED},
        S.PAID: {S.ACCEPTED, S.CANCELLED},
        S.ACCEPTED: {S.PACKED, S.CANCELLED},
        S.PACKED: {S.SHIPPED, S.CANCELLED},
        S.SHIPPED: {S.DELIVERED},
        S.DELIVERED: {S.COMPLETED},
        S.COMPLETED: {S.REFUNDED},
        S.CANCELLED: {S.REFUNDED},
        S.REFUNDED: set(),
    },
    event_model=SellerOrderEvent,
    event_fk="seller_order",
    error=SellerOrderTransitionNotAllowed,
    message=lambda seller_order, from_status, to_status: (
        gettext("Order %(number)s cannot go from “%(from)s” to “%(to)s”.")
        % {"number": seller_order.number, "from": S(from_status).label, "to": S(to_status).label}
    ),
)
