"""Payments through Midtrans's Core API: one charge per attempt, the notifications it sent, refunds.

A charge mirrors one Midtrans transaction (`order_id` = our `midtrans_order_id`, `<number>-<attempt>`).
Midtrans owns its status: we only ever record a status re-fetched with `GET /v2/{order_id}/status`,
through `MIDTRANS_CHARGE_MACHINE`, never the notification's copy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


class ChargeStatus(models.TextChoices):
    """Midtrans's `transaction_status`, plus `new`: recorded, Midtrans not yet answered."""

    NEW = "new", _("Being created")
    PENDING = "pending", _("Waiting for payment")
    CAPTURE = "capture", _("Captured")
    SETTLEMENT = "settlement", _("Paid")
    DENY = "deny", _("Refused")
    CANCEL = "cancel", _("Cancelled")
    EXPIRE = "expire", _("Expired")
    FAILURE = "failure", _("Failed")
    REFUND = "refund", _("Refunded")
    PARTIAL_REFUND = "partial_refund", _("Partly refunded")


S = ChargeStatus
OPEN_STATUSES = {S.NEW, S.PENDING}
PAID_STATUSES = {S.SETTLEMENT, S.PARTIAL_REFUND, S.REFUND}
# Closed without money. Midtrans is the source of truth about money: should it ever report a
# settlement for one of these, the money is booked (and given back when its order is gone).
_UNPAID_FINAL = {S.DENY, S.CANCEL, S.EXPIRE, S.FAILURE}
CHARGE_TRANSITIONS = {
    S.NEW: {S.PENDING, S.CAPTURE, S.SETTLEMENT, S.DENY, S.CANCEL, S.EXPIRE, S.FAILURE},
    S.PENDING: {S.CAPTURE, S.SETTLEMENT, S.DENY, S.CANCEL, S.EXPIRE, S.FAILURE},
    S.CAPTURE: {S.SETTLEMENT, S.DENY, S.CANCEL, S.REFUND, S.PARTIAL_REFUND},
    S.SETTLEMENT: {S.REFUND, S.PARTIAL_REFUND},
    S.PARTIAL_REFUND: {S.REFUND},
    S.REFUND: set(),
    # Sorted: a set's order changes with the hash seed, and the tests' ids follow this mapping's.
    **{status: {S.SETTLEMENT} for status in sorted(_UNPAID_FINAL)},
}


class ChargePurpose(models.TextChoices):
    ORDER = "order", _("Order")
    INVOICE = "invoice", _("Invoice")


class MidtransCharge(models.Model):
    """One attempt to pay an order (or an invoice's balance) through Midtrans.

    A buyer whose e-wallet payment is refused may try again; each try is a new attempt with its own
    Midtrans `order_id` (`<order number>-<attempt>`), which is also its idempotency key.
    """

    purpose = models.CharField(_("pays"), max_length=10, choices=ChargePurpose.choices, default=ChargePurpose.ORDER)
    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="midtrans_charges",
    )
    payable_id = models.PositiveBigIntegerField(
        _("paid object"), help_text=_("The order's or the invoice's primary key.")
    )
    attempt = models.PositiveIntegerField(_("attempt"))
    midtrans_order_id = models.CharField(_("Midtrans order id"), max_length=50, unique=True)
    method = models.CharField(_("method"), max_length=30)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)
    fee = models.DecimalField(
        _("fee (Rp)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Midtrans's fee (MDR) for this payment, booked when it settles; the platform bears it."),
    )
    status = models.CharField(_("status"), max_length=20, choices=ChargeStatus.choices, default=ChargeStatus.NEW)
    transaction_id = models.CharField(_("Midtrans transaction id"), max_length=64, blank=True)
    va_number = models.CharField(_("virtual account number"), max_length=40, blank=True)
    bill_key = models.CharField(_("bill key"), max_length=40, blank=True)
    biller_code = models.CharField(_("biller code"), max_length=20, blank=True)
    qr_string = models.TextField(_("QR string"), blank=True)
    qr_url = models.URLField(_("QR image URL"), max_length=500, blank=True)
    deeplink_url = models.URLField(_("app link"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_status = models.JSONField(_("last status from Midtrans"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["purpose", "payable_id", "attempt"]
        verbose_name = _("Midtrans charge")
        verbose_name_plural = _("Midtrans charges")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "payable_id", "attempt"], name="midtrans_one_charge_per_attempt"
            ),
            models.CheckConstraint(
                condition=Q(purpose="invoice") | Q(order__isnull=False), name="midtrans_order_charge_has_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.midtrans_order_id} {self.method} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES and not self.is_past_expiry

    @property
    def is_past_expiry(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class MidtransChargeEvent(StatusEvent):
    """Audit row for every status change of a charge, as Midtrans reported it."""

    charge = models.ForeignKey(
        MidtransCharge, verbose_name=_("charge"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Midtrans charge event")
        verbose_name_plural = _("Midtrans charge events")

    def __str__(self):
        return f"{self.charge_id}: {self.from_status or '-'} → {self.to_status}"


class MidtransChargeTransitionNotAllowed(TransitionNotAllowed):
    """A status Midtrans's transaction cannot move to from the charge's current one."""


MIDTRANS_CHARGE_MACHINE = StateMachine(
    model=MidtransCharge,
    transitions=CHARGE_TRANSITIONS,
    event_model=MidtransChargeEvent,
    event_fk="charge",
    error=MidtransChargeTransitionNotAllowed,
)


class MidtransNotification(models.Model):
    """An HTTP notification from Midtrans whose signature was right. Stored once: the digest of its
    body is unique, so Midtrans delivering it again (it retries) is a no-op."""

    digest = models.CharField(_("digest"), max_length=64, unique=True)
    midtrans_order_id = models.CharField(_("Midtrans order id"), max_length=50, db_index=True)
    transaction_status = models.CharField(_("transaction status"), max_length=30)
    status_code = models.CharField(_("status code"), max_length=5)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Midtrans notification")
        verbose_name_plural = _("Midtrans notifications")

    def __str__(self):
        return f"{self.midtrans_order_id} {self.transaction_status}"


class MidtransFee(models.Model):
    """One pesantren part's share of a settled charge's fee, in whole rupiah. The shares of a charge
    add up exactly to its fee; the pesantren's ledger is not charged (the platform bears the MDR),
    so this is what finance reads the platform's net commission from."""

    charge = models.ForeignKey(MidtransCharge, verbose_name=_("charge"), on_delete=models.PROTECT, related_name="fees")
    seller_order = models.ForeignKey(
        "fulfilment.SellerOrder", verbose_name=_("pesantren order"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("Midtrans fee share")
        verbose_name_plural = _("Midtrans fee shares")
        constraints = [
            models.UniqueConstraint(fields=["charge", "seller_order"], name="midtrans_one_fee_share_per_part")
        ]

    def __str__(self):
        return f"{self.charge_id} {self.seller_order_id}: {self.amount}"


class MidtransRefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending at Midtrans")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Refused by Midtrans")


class MidtransRefund(models.Model):
    """Money given back through Midtrans's direct refund (GoPay, ShopeePay, QRIS) for one part.

    Recorded as pending with the part locked (it reserves its amount), asked of Midtrans with its
    `refund_key` after that commits, and booked on the part once Midtrans answers."""

    seller_order = models.ForeignKey(
        "fulfilment.SellerOrder",
        verbose_name=_("pesantren order"),
        on_delete=models.PROTECT,
        related_name="midtrans_refunds",
    )
    charge = models.ForeignKey(
        MidtransCharge, verbose_name=_("charge"), on_delete=models.PROTECT, related_name="refunds"
    )
    refund_key = models.CharField(_("refund key"), max_length=100, unique=True)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=20, choices=MidtransRefundStatus.choices, default=MidtransRefundStatus.PENDING
    )
    last_error = models.TextField(_("last error"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("refunded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Midtrans refund")
        verbose_name_plural = _("Midtrans refunds")

    def __str__(self):
        return f"{self.refund_key} {self.amount} ({self.status})"


class MidtransRefundEvent(StatusEvent):
    refund = models.ForeignKey(
        MidtransRefund, verbose_name=_("refund"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Midtrans refund event")
        verbose_name_plural = _("Midtrans refund events")


class MidtransRefundTransitionNotAllowed(TransitionNotAllowed):
    """A status change that the refund's current status does not allow."""


MIDTRANS_REFUND_MACHINE = StateMachine(
    model=MidtransRefund,
    transitions={
        MidtransRefundStatus.PENDING: {MidtransRefundStatus.SUCCEEDED, MidtransRefundStatus.FAILED},
        MidtransRefundStatus.SUCCEEDED: set(),
        MidtransRefundStatus.FAILED: set(),
    },
    event_model=MidtransRefundEvent,
    event_fk="refund",
    error=MidtransRefundTransitionNotAllowed,
)
