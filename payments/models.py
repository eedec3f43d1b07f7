from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import StatusEvent
from core.transitions import StateMachine, TransitionNotAllowed


class PaymentIntentStatus(models.TextChoices):
    """Stripe's PaymentIntent statuses, mirrored as they were last fetched."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method", _("Card declined or not yet given")
    REQUIRES_CONFIRMATION = "requires_confirmation", _("Awaiting confirmation")
    REQUIRES_ACTION = "requires_action", _("Awaiting 3-D Secure")
    PROCESSING = "processing", _("Processing")
    REQUIRES_CAPTURE = "requires_capture", _("Authorised, not captured")
    CANCELED = "canceled", _("Cancelled")
    SUCCEEDED = "succeeded", _("Succeeded")


class CardPayment(models.Model):
    """One attempt to pay an order by card: one Stripe PaymentIntent.

    A customer whose card is declined may try again with another card; each try is a new attempt
    with its own idempotency key (`order-<number>-pi-<attempt>`). The order becomes paid only when
    Stripe reports the PaymentIntent succeeded (webhook or re-fetch), never from the browser.
    """

    order = models.ForeignKey(
        "order.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="card_payments"
    )
    attempt = models.PositiveIntegerField(_("attempt"))
    payment_intent_id = models.CharField(
        _("Stripe PaymentIntent"),
        max_length=255,
        blank=True,
        help_text=_("Empty only when Stripe refused the card without telling which PaymentIntent it made."),
    )
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=PaymentIntentStatus.choices,
        default=PaymentIntentStatus.REQUIRES_CONFIRMATION,
    )
    client_secret = models.CharField(
        _("client secret"), max_length=255, blank=True, help_text=_("Lets Stripe.js finish 3-D Secure in the browser.")
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["order", "attempt"]
        verbose_name = _("card payment")
        verbose_name_plural = _("card payments")
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt"], name="one_card_payment_per_attempt"),
            models.UniqueConstraint(
                fields=["payment_intent_id"], condition=~Q(payment_intent_id=""), name="unique_payment_intent"
            ),
        ]

    def __str__(self):
        return f"{self.order.number} #{self.attempt} {self.payment_intent_id or '-'} ({self.status})"

    @property
    def requires_action(self) -> bool:
        return self.status == PaymentIntentStatus.REQUIRES_ACTION


# Stripe owns the PaymentIntent's life: until it succeeds or is cancelled it may report any other
# status (webhooks arrive in any order), and after that nothing moves it again.
_INTENT_FINAL = {PaymentIntentStatus.SUCCEEDED, PaymentIntentStatus.CANCELED}
INTENT_TRANSITIONS = {
    status: (set() if status in _INTENT_FINAL else set(PaymentIntentStatus.values) - {status})
    for status in PaymentIntentStatus.values
}


class CardPaymentEvent(StatusEvent):
    """Audit row for every status change of a CardPayment, as Stripe reported it."""

    card_payment = models.ForeignKey(
        CardPayment, verbose_name=_("card payment"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("card payment event")
        verbose_name_plural = _("card payment events")

    def __str__(self):
        return f"{self.card_payment_id}: {self.from_status or '-'} → {self.to_status}"


class CardPaymentTransitionNotAllowed(TransitionNotAllowed):
    """A status Stripe's PaymentIntent cannot move to from the attempt's current one."""


CARD_PAYMENT_MACHINE = StateMachine(
    model=CardPayment,
    transitions=INTENT_TRANSITIONS,
    event_model=CardPaymentEvent,
    event_fk="card_payment",
    error=CardPaymentTransitionNotAllowed,
)


class StripeEvent(models.Model):
    """A webhook event received from Stripe. The unique event id makes a redelivery a no-op."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(
        _("processed"), null=True, blank=True, help_text=_("Empty for event types we store but do not act on.")
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self):
        return f"{self.event_id} {self.type}"


class CardRefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending at Stripe")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Refused by Stripe")


class CardRefund(models.Model):
    """Money given back by card for one pesantren's part of an order.

    Recorded as pending before Stripe is asked (with the part locked, so two refunds cannot both
    take what is left), then asked with its idempotency key after that transaction commits, and
    booked on the part once Stripe answers. A pending refund reserves its amount meanwhile.
    """

    seller_order = models.ForeignKey(
        "fulfilment.SellerOrder",
        verbose_name=_("pesantren order"),
        on_delete=models.PROTECT,
        related_name="card_refunds",
    )
    card_payment = models.ForeignKey(
        CardPayment, verbose_name=_("card payment"), on_delete=models.PROTECT, related_name="refunds"
    )
    refund_id = models.CharField(_("Stripe refund"), max_length=255, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CardRefundStatus.choices, default=CardRefundStatus.PENDING
    )
    last_error = models.TextField(_("last error"), blank=True)
    amount = models.DecimalField(_("amount (Rp)"), max_digits=14, decimal_places=2)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("refunded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("card refund")
        verbose_name_plural = _("card refunds")
        permissions = [("refund_card_payment", _("Can refund card payments"))]
        constraints = [
            models.UniqueConstraint(fields=["refund_id"], condition=~Q(refund_id=""), name="unique_stripe_refund")
        ]

    def __str__(self):
        return f"{self.refund_id or self.idempotency_key} {self.amount} ({self.status})"


class CardRefundEvent(StatusEvent):
    """Audit row for every status change of a CardRefund: recorded, then refunded or refused by Stripe."""

    card_refund = models.ForeignKey(
        CardRefund, verbose_name=_("card refund"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=CardRefundStatus.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, choices=CardRefundStatus.choices)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("card refund event")
        verbose_name_plural = _("card refund events")

    def __str__(self):
        return f"{self.card_refund_id}: {self.from_status or '-'} → {self.to_status}"


class CardRefundTransitionNotAllowed(TransitionNotAllowed):
    """A status change that the card refund's current status does not allow."""


CARD_REFUND_MACHINE = StateMachine(
    model=CardRefund,
    transitions={
        CardRefundStatus.PENDING: {CardRefundStatus.SUCCEEDED, CardRefundStatus.FAILED},
        CardRefundStatus.SUCCEEDED: set(),
        CardRefundStatus.FAILED: set(),
    },
    event_model=CardRefundEvent,
    event_fk="card_refund",
    error=CardRefundTransitionNotAllowed,
)
