"""Card payments: starting them, applying Stripe's state to our orders, and refunds.

Stripe is the source of truth for a PaymentIntent. We only ever apply a state re-fetched from
Stripe (`sync_payment_intent`), so webhooks may arrive twice or out of order, and the browser's
redirect never marks anything paid.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import (
    ORDER_PENDING_PAYMENT,
    TransitionNotAllowed,
    order_payment_succeeded,
    seller_order_record_refund,
)
from payments import stripe_api
from payments.models import CardPayment, CardRefund, PaymentIntentStatus
from payments.stripe_api import (  # noqa: F401  (re-exported for callers of the services)
    AmountTooSmall,
    CardDeclined,
    PaymentError,
    PaymentProviderUnavailable,
)

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")

# Once Stripe reports one of these, an older snapshot arriving late must not undo it.
FINAL_STATUSES = {PaymentIntentStatus.SUCCEEDED, PaymentIntentStatus.CANCELED}
# Attempts that might still take the customer's money.
OPEN_STATUSES = {PaymentIntentStatus.REQUIRES_ACTION, PaymentIntentStatus.REQUIRES_CONFIRMATION}


class OrderNotPayable(PaymentError):
    """The order is not awaiting payment (already paid, being paid, cancelled)."""


class UnknownOrderYet(Exception):
    """A PaymentIntent names one of our orders that this database does not show (yet): retry later."""


def _mirror(payment: CardPayment, intent) -> None:
    """Copy Stripe's view of a PaymentIntent onto our row (not saved)."""
    if payment.status in FINAL_STATUSES and intent.status != payment.status:
        logger.warning("Ignoring %s → %s for %s", payment.status, intent.status, payment.payment_intent_id)
        return
    payment.payment_intent_id = intent.id
    payment.status = intent.status
    if intent.status == PaymentIntentStatus.REQUIRES_ACTION:
        payment.client_secret = intent.client_secret or ""
    error = getattr(intent, "last_payment_error", None)
    if error:
        error = error.to_dict()
        payment.last_error = error.get("message") or error.get("code") or ""


def _cancel_open_attempts(order) -> None:
    """Cancel earlier attempts left waiting for 3-D Secure, so the customer cannot pay twice."""
    for payment in order.card_payments.filter(status__in=OPEN_STATUSES).exclude(payment_intent_id=""):
        try:
            intent = stripe_api.cancel_payment_intent(payment.payment_intent_id)
        except PaymentProviderUnavailable:
            raise
        except PaymentError:
            # It may have moved on meanwhile (e.g. 3-D Secure finished): take Stripe's word for it.
            intent = stripe_api.retrieve_payment_intent(payment.payment_intent_id)
        _mirror(payment, intent)
        payment.save()
        if payment.status == PaymentIntentStatus.SUCCEEDED:
            raise OrderNotPayable(_("Order %(number)s has already been paid.") % {"number": order.number})


def start_card_payment(*, order, payment_method_id: str) -> CardPayment:
    """Charge the order's total to a card that Stripe.js turned into a PaymentMethod.

    Returns the attempt with status `succeeded`, `processing` or `requires_action` (then the page
    finishes 3-D Secure with `client_secret`). The order is not marked paid here: that happens when
    Stripe's `payment_intent.succeeded` webhook arrives (see `sync_payment_intent`).

    Raises CardDeclined with Stripe's message when the card is refused. The refused attempt is
    kept (status `requires_payment_method`) so that the next attempt, with another card, uses a
    new idempotency key; the order stays pending payment. Callers should catch the error and show
    it rather than let it roll back their transaction. AmountTooSmall, PaymentProviderUnavailable
    and OrderNotPayable save nothing.
    """
    payment_method_id = (payment_method_id or "").strip()
    if not payment_method_id.startswith("pm_"):
        raise PaymentError(_("Enter your card details."))
    declined = None
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != ORDER_PENDING_PAYMENT:
            raise OrderNotPayable(_("Order %(number)s is not awaiting payment.") % {"number": order.number})
        if order.card_payments.filter(
            status__in=[PaymentIntentStatus.SUCCEEDED, PaymentIntentStatus.PROCESSING]
        ).exists():
            raise OrderNotPayable(_("Order %(number)s has already been paid.") % {"number": order.number})
        if order.total_incl_tax < stripe_api.minimum_charge():
            raise AmountTooSmall(
                _("Card payments must be at least Rp %(minimum)s.") % {"minimum": _rupiah(stripe_api.minimum_charge())}
            )
        _cancel_open_attempts(order)
        attempt = (order.card_payments.aggregate(last=Max("attempt"))["last"] or 0) + 1
        payment = CardPayment(order=order, attempt=attempt, amount=order.total_incl_tax)
        try:
            intent = stripe_api.create_and_confirm_payment_intent(
                order_number=order.number,
                amount=order.total_incl_tax,
                payment_method_id=payment_method_id,
                attempt=attempt,
            )
        except CardDeclined as error:
            declined = error
            payment.payment_intent_id = error.payment_intent_id
            payment.status = PaymentIntentStatus.REQUIRES_PAYMENT_METHOD
            payment.last_error = str(error)
        else:
            _mirror(payment, intent)
        payment.save()
    if declined is not None:
        logger.info("Card declined for order %s attempt %s: %s", order.number, payment.attempt, declined.code)
        raise declined
    return payment


def _adopt(intent) -> CardPayment | None:
    """Find our attempt for a PaymentIntent we have no id for, by the metadata we sent with it.

    That happens when Stripe declined the card without naming the PaymentIntent, or when our
    process died between Stripe's answer and saving it.
    """
    metadata = intent.to_dict().get("metadata") or {}
    number, attempt = metadata.get("order_number"), metadata.get("attempt")
    if not number:
        return None
    order = Order.objects.filter(number=number).first()
    if order is None:
        raise UnknownOrderYet(number)
    if not (attempt or "").isdigit():
        logger.error("PaymentIntent %s for order %s carries no attempt number", intent.id, number)
        return None
    payment, created = CardPayment.objects.select_for_update(no_key=True).get_or_create(
        order=order,
        attempt=int(attempt),
        defaults={"amount": stripe_api.from_stripe_amount(intent.amount), "payment_intent_id": intent.id},
    )
    if payment.payment_intent_id not in ("", intent.id):
        logger.error(
            "Order %s attempt %s already has %s, not %s", number, attempt, payment.payment_intent_id, intent.id
        )
        return None
    if created:
        logger.warning("Adopted PaymentIntent %s for order %s attempt %s", intent.id, number, attempt)
    return payment


def sync_payment_intent(*, payment_intent_id: str) -> CardPayment | None:
    """Re-fetch a PaymentIntent from Stripe and apply it to our order.

    Succeeded marks the order paid (once: `order_payment_succeeded` is idempotent) if Stripe took
    exactly the order's total in rupiah; anything else is logged and refused. A failed attempt
    records Stripe's message and leaves the order pending so the customer can try another card.
    Returns None for PaymentIntents that are not ours. Safe to call any number of times.
    """
    intent = stripe_api.retrieve_payment_intent(payment_intent_id)
    with transaction.atomic():
        # NO KEY UPDATE: refunds insert rows pointing at this one and must not deadlock with us.
        payment = (
            CardPayment.objects.select_for_update(no_key=True)
            .select_related("order")
            .filter(payment_intent_id=intent.id)
            .first()
        ) or _adopt(intent)
        if payment is None:
            logger.info("Ignoring PaymentIntent %s: not one of ours", intent.id)
            return None
        _mirror(payment, intent)
        payment.save()
        if payment.status == PaymentIntentStatus.SUCCEEDED:
            _apply_success(payment, intent)
    return payment


def _apply_success(payment: CardPayment, intent) -> None:
    order = payment.order
    expected = stripe_api.to_stripe_amount(order.total_incl_tax)
    received = getattr(intent, "amount_received", None) or intent.amount
    if intent.currency != stripe_api.CURRENCY or received != expected or intent.amount != expected:
        logger.error(
            "Refusing PaymentIntent %s for order %s: %s %s received, %s idr expected",
            intent.id,
            order.number,
            received,
            intent.currency,
            expected,
        )
        CardPayment.objects.filter(pk=payment.pk).update(
            last_error=_("Amount does not match the order total; check with finance.")
        )
        return
    if not order_payment_succeeded(order_id=order.pk, reference=intent.id):
        other_success = (
            CardPayment.objects.filter(order_id=order.pk, status=PaymentIntentStatus.SUCCEEDED)
            .exclude(pk=payment.pk)
            .exists()
        )
        if other_success or not SellerOrder.objects.filter(order_id=order.pk, paid_at__isnull=False).exists():
            # Paid twice, or paid after the order was cancelled: money to give back by hand.
            logger.error("PaymentIntent %s succeeded but order %s could not take it", intent.id, order.number)


def refund_seller_order(*, seller_order: SellerOrder, amount: Decimal, actor) -> CardRefund:
    """Give back `amount` rupiah of one pesantren's part through the order's card payment.

    Refuses fractions of a rupiah, unpaid parts and more than is still refundable (the part's total
    minus earlier refunds), before calling Stripe. The Stripe idempotency key
    `seller-order-<pk>-refund-<n>` makes a retry after a crash return the same refund.
    """
    if isinstance(amount, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError(_("A refund must be more than Rp 0."))
    stripe_api.to_stripe_amount(amount)  # refuses fractions of a rupiah
    with transaction.atomic():
        seller_order = SellerOrder.objects.select_for_update(of=("self",)).get(pk=seller_order.pk)
        if seller_order.status == SellerOrderStatus.PENDING_PAYMENT:
            raise TransitionNotAllowed(_("Order %(number)s is not paid yet.") % {"number": seller_order.number})
        payment = (
            CardPayment.objects.filter(order_id=seller_order.order_id, status=PaymentIntentStatus.SUCCEEDED)
            .order_by("-attempt")
            .first()
        )
        if payment is None:
            raise PaymentError(_("Order %(number)s was not paid by card.") % {"number": seller_order.number})
        refundable = seller_order.total - seller_order.refunded_amount
        if amount > refundable:
            raise ValueError(_("At most Rp %(amount)s can still be refunded.") % {"amount": _rupiah(refundable)})
        number = seller_order.card_refunds.count() + 1
        refund = stripe_api.create_refund(
            payment.payment_intent_id, amount, idempotency_key=f"seller-order-{seller_order.pk}-refund-{number}"
        )
        card_refund = CardRefund.objects.create(
            seller_order=seller_order, card_payment=payment, refund_id=refund.id, amount=amount, actor=actor
        )
        seller_order_record_refund(seller_order=seller_order, amount=amount, actor=actor, reference=refund.id)
    return card_refund


def _rupiah(amount: Decimal) -> str:
    return f"{int(amount):,}".replace(",", ".")
