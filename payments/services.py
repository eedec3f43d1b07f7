"""Card payments: starting them, applying Stripe's state to our orders, and refunds.

Stripe is the source of truth for a PaymentIntent. We only ever apply a state re-fetched from
Stripe (`sync_payment_intent`), so webhooks may arrive twice or out of order, and the browser's
redirect never marks anything paid.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import format_rupiah
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import (
    ORDER_PENDING_PAYMENT,
    TransitionNotAllowed,
    order_payment_succeeded,
    seller_order_record_refund,
)
from payments import stripe_api
from payments.intents import (
    cancel_open_attempts,
    check_minimum_charge,
    clean_payment_method_id,
    confirm_attempt,
    mirror_intent,
    next_attempt_number,
    refuse_wrong_amount,
)
from payments.models import CardPayment, CardRefund, PaymentIntentStatus
from payments.stripe_api import (  # noqa: F401  (re-exported for callers of the services)
    AmountTooSmall,
    CardDeclined,
    PaymentError,
    PaymentProviderUnavailable,
)

logger = logging.getLogger(__name__)
Order = get_model("order", "Order")


class OrderNotPayable(PaymentError):
    """The order is not awaiting payment (already paid, being paid, cancelled)."""


class UnknownOrderYet(Exception):
    """A PaymentIntent names one of our orders that this database does not show (yet): retry later."""


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
    payment_method_id = clean_payment_method_id(payment_method_id)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != ORDER_PENDING_PAYMENT:
            raise OrderNotPayable(_("Order %(number)s is not awaiting payment.") % {"number": order.number})
        if order.card_payments.filter(
            status__in=[PaymentIntentStatus.SUCCEEDED, PaymentIntentStatus.PROCESSING]
        ).exists():
            raise OrderNotPayable(_("Order %(number)s has already been paid.") % {"number": order.number})
        check_minimum_charge(order.total_incl_tax)
        cancel_open_attempts(
            order.card_payments,
            already_paid=OrderNotPayable(_("Order %(number)s has already been paid.") % {"number": order.number}),
        )
        attempt = next_attempt_number(order.card_payments)
        payment = CardPayment(order=order, attempt=attempt, amount=order.total_incl_tax)
        declined = confirm_attempt(
            payment,
            lambda: stripe_api.create_and_confirm_payment_intent(
                order_number=order.number,
                amount=order.total_incl_tax,
                payment_method_id=payment_method_id,
                attempt=attempt,
            ),
        )
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
        mirror_intent(payment, intent)
        payment.save()
        if payment.status == PaymentIntentStatus.SUCCEEDED:
            _apply_success(payment, intent)
    return payment


def _apply_success(payment: CardPayment, intent) -> None:
    order = payment.order
    if refuse_wrong_amount(
        payment,
        intent,
        amount=order.total_incl_tax,
        paying=f"order {order.number}",
        message=_("Amount does not match the order total; check with finance."),
    ):
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
            raise ValueError(_("At most %(amount)s can still be refunded.") % {"amount": format_rupiah(refundable)})
        number = seller_order.card_refunds.count() + 1
        refund = stripe_api.create_refund(
            payment.payment_intent_id, amount, idempotency_key=f"seller-order-{seller_order.pk}-refund-{number}"
        )
        card_refund = CardRefund.objects.create(
            seller_order=seller_order, card_payment=payment, refund_id=refund.id, amount=amount, actor=actor
        )
        seller_order_record_refund(seller_order=seller_order, amount=amount, actor=actor, reference=refund.id)
    return card_refund
