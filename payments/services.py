"""Card payments: starting them, applying Stripe's state to our orders, and refunds.

Stripe is the source of truth for a PaymentIntent. We only ever apply a state re-fetched from
Stripe (`sync_payment_intent`), so webhooks may arrive twice or out of order, and the browser's
redirect never marks anything paid.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.locks import lock_order, lock_seller_order, lock_seller_orders
from core.money import format_rupiah
from core.transitions import record_initial, transition
from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import (
    ORDER_PENDING_PAYMENT,
    TransitionNotAllowed,
    order_payment_succeeded,
    seller_order_record_refund,
)
from payments import stripe_api
from payments.intents import (
    check_minimum_charge,
    clean_payment_method_id,
    mirror_intent,
    pay_by_card,
    refuse_wrong_amount,
)
from payments.models import CardPayment, CardRefund, CardRefundStatus, PaymentIntentStatus
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
    Stripe's `payment_intent.succeeded` webhook arrives (see `sync_payment_intent`). No row lock is
    held while Stripe is called (see `payments.intents.pay_by_card`).

    Raises CardDeclined with Stripe's message when the card is refused. The refused attempt is
    kept (status `requires_payment_method`) so that the next attempt, with another card, uses a
    new idempotency key; the order stays pending payment. AmountTooSmall,
    PaymentProviderUnavailable and OrderNotPayable save nothing.
    """
    payment_method_id = clean_payment_method_id(payment_method_id)
    order_id = order.pk
    already_paid = OrderNotPayable(_("Order %(number)s has already been paid.") % {"number": order.number})

    def check_payable(order) -> Decimal:
        if order.status != ORDER_PENDING_PAYMENT:
            raise OrderNotPayable(_("Order %(number)s is not awaiting payment.") % {"number": order.number})
        if order.card_payments.filter(
            status__in=[PaymentIntentStatus.SUCCEEDED, PaymentIntentStatus.PROCESSING]
        ).exists():
            raise already_paid
        check_minimum_charge(order.total_incl_tax)
        return order.total_incl_tax

    payment = pay_by_card(
        lock_payable=lambda: lock_order(order_id),
        check_payable=check_payable,
        attempts_of=lambda order: order.card_payments.all(),
        new_attempt=lambda order, number, amount: CardPayment(order=order, attempt=number, amount=amount),
        create_intent=lambda payment: stripe_api.create_and_confirm_payment_intent(
            order_number=order.number,
            amount=payment.amount,
            payment_method_id=payment_method_id,
            attempt=payment.attempt,
        ),
        already_paid=already_paid,
        in_flight=OrderNotPayable(_("A card payment for this order is already being processed.")),
    )
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
        record_initial([payment])
    return payment


def _order_id_for(intent) -> int | None:
    """Which of our orders a PaymentIntent pays, read without a lock (the order is locked next)."""
    order_id = CardPayment.objects.filter(payment_intent_id=intent.id).values_list("order_id", flat=True).first()
    if order_id is not None:
        return order_id
    number = (intent.to_dict().get("metadata") or {}).get("order_number")
    if not number:
        return None
    order_id = Order.objects.filter(number=number).values_list("pk", flat=True).first()
    if order_id is None:
        raise UnknownOrderYet(number)
    return order_id


def sync_payment_intent(*, payment_intent_id: str) -> CardPayment | None:
    """Re-fetch a PaymentIntent from Stripe and apply it to our order.

    Succeeded marks the order paid (once: `order_payment_succeeded` is idempotent) if Stripe took
    exactly the order's total in rupiah; anything else is logged and refused. A failed attempt
    records Stripe's message and leaves the order pending so the customer can try another card.
    Parts cancelled before the money arrived are refunded to the card. Returns None for
    PaymentIntents that are not ours. Safe to call any number of times.

    Stripe is asked before any transaction starts; the rows are then locked in the order of
    `core.locks` (order, seller orders, attempt), as the card flow that started the payment does.
    """
    intent = stripe_api.retrieve_payment_intent(payment_intent_id)
    order_id = _order_id_for(intent)
    if order_id is None:
        logger.info("Ignoring PaymentIntent %s: not one of ours", intent.id)
        return None
    refunds = []
    with transaction.atomic():
        lock_order(order_id)
        lock_seller_orders(order_id)
        # NO KEY UPDATE: refunds insert rows pointing at this one and must not wait for us.
        payment = (
            CardPayment.objects.select_for_update(no_key=True, of=("self",))
            .select_related("order")
            .filter(payment_intent_id=intent.id)
            .first()
        ) or _adopt(intent)
        if payment is None or payment.order_id != order_id:
            logger.info("Ignoring PaymentIntent %s: not one of ours", intent.id)
            return None
        mirror_intent(payment, intent)
        payment.save()
        if payment.status == PaymentIntentStatus.SUCCEEDED:
            refunds = _apply_success(payment, intent)
    for card_refund in refunds:
        card_refund_finish(card_refund_id=card_refund.pk)
    return payment


def _apply_success(payment: CardPayment, intent) -> list[CardRefund]:
    """Book a succeeded attempt, with the order and its parts locked. Returns the card refunds it
    recorded for parts cancelled before the money arrived, to be made after the commit."""
    order = payment.order
    if refuse_wrong_amount(
        payment,
        intent,
        amount=order.total_incl_tax,
        paying=f"order {order.number}",
        message=_("Amount does not match the order total; check with finance."),
    ):
        return []
    if order_payment_succeeded(order_id=order.pk, reference=intent.id):
        return _refund_parts_cancelled_unpaid(order.pk, payment)
    other_success = (
        CardPayment.objects.filter(order_id=order.pk, status=PaymentIntentStatus.SUCCEEDED)
        .exclude(pk=payment.pk)
        .exists()
    )
    if other_success:
        # Paid twice: money to give back by hand.
        logger.error("PaymentIntent %s succeeded but order %s was already paid", intent.id, order.number)
        return []
    return _refund_parts_cancelled_unpaid(order.pk, payment)


def _refund_parts_cancelled_unpaid(order_id: int, payment: CardPayment) -> list[CardRefund]:
    """The customer paid the whole order, but some parts were cancelled (or expired) before the
    money arrived: record their refunds, so no cancelled part keeps the customer's money."""
    refunds = []
    for seller_order in SellerOrder.objects.filter(
        order_id=order_id, status=SellerOrderStatus.CANCELLED, paid_at__isnull=True
    ).order_by("pk"):
        refundable = seller_order.total - seller_order.refunded_amount - _reserved(seller_order)
        if refundable > 0:
            logger.warning("Order %s was paid after it was cancelled: refunding it", seller_order.number)
            refunds.append(card_refund_begin(seller_order=seller_order, amount=refundable, actor=None, payment=payment))
    return refunds


def _reserved(seller_order: SellerOrder) -> Decimal:
    """What pending card refunds of a part hold back until Stripe answers them."""
    pending = seller_order.card_refunds.filter(status=CardRefundStatus.PENDING).aggregate(total=Sum("amount"))
    return pending["total"] or Decimal(0)


def card_refund_begin(*, seller_order: SellerOrder, amount: Decimal, actor, payment: CardPayment | None = None):
    """Record the intent to give back `amount` rupiah of a part by card, before Stripe is asked.

    Call inside a transaction with the order and the part locked (`core.locks.lock_seller_order`),
    then `card_refund_finish` after it commits. Refuses fractions of a rupiah, unpaid parts and more
    than is still refundable (the part's total minus earlier and pending refunds).
    """
    if isinstance(amount, float):
        raise TypeError("Money must be a Decimal or an int, never a float.")
    amount = Decimal(amount)
    if amount <= 0:
        raise ValueError(_("A refund must be more than Rp 0."))
    stripe_api.to_stripe_amount(amount)  # refuses fractions of a rupiah
    if seller_order.status == SellerOrderStatus.PENDING_PAYMENT:
        raise TransitionNotAllowed(_("Order %(number)s is not paid yet.") % {"number": seller_order.number})
    payment = payment or (
        CardPayment.objects.filter(order_id=seller_order.order_id, status=PaymentIntentStatus.SUCCEEDED)
        .order_by("-attempt")
        .first()
    )
    if payment is None:
        raise PaymentError(_("Order %(number)s was not paid by card.") % {"number": seller_order.number})
    refundable = seller_order.total - seller_order.refunded_amount - _reserved(seller_order)
    if amount > refundable:
        raise ValueError(_("At most %(amount)s can still be refunded.") % {"amount": format_rupiah(refundable)})
    number = seller_order.card_refunds.count() + 1
    card_refund = CardRefund.objects.create(
        seller_order=seller_order,
        card_payment=payment,
        amount=amount,
        actor=actor,
        idempotency_key=f"seller-order-{seller_order.pk}-refund-{number}",
    )
    record_initial([card_refund], actor=actor)
    return card_refund


def card_refund_finish(*, card_refund_id: int) -> CardRefund:
    """Make a recorded card refund at Stripe and book it on the part. Safe to repeat.

    Stripe is called outside any transaction with the refund's idempotency key, so a retry after a
    crash gets the same refund back; the booking happens once, under the locks, for a refund still
    pending. A refusal marks the refund failed and is raised; PaymentProviderUnavailable leaves it
    pending for `payments.tasks.finish_pending_card_refunds` to try again.
    """
    card_refund = CardRefund.objects.select_related("card_payment").get(pk=card_refund_id)
    if card_refund.status != CardRefundStatus.PENDING:
        return card_refund
    try:
        refund = stripe_api.create_refund(
            card_refund.card_payment.payment_intent_id,
            card_refund.amount,
            idempotency_key=card_refund.idempotency_key,
        )
    except PaymentProviderUnavailable:
        raise
    except PaymentError as error:
        with transaction.atomic():
            lock_seller_order(card_refund.seller_order_id)
            card_refund = CardRefund.objects.select_for_update(no_key=True).get(pk=card_refund_id)
            if card_refund.status == CardRefundStatus.PENDING:
                transition(card_refund, CardRefundStatus.FAILED, note=str(error), last_error=str(error))
                logger.error("Stripe refused refund %s: %s", card_refund.idempotency_key, error)
        raise
    with transaction.atomic():
        seller_order = lock_seller_order(card_refund.seller_order_id)
        card_refund = CardRefund.objects.select_for_update(no_key=True).get(pk=card_refund_id)
        if card_refund.status == CardRefundStatus.PENDING:
            transition(card_refund, CardRefundStatus.SUCCEEDED, note=refund.id, refund_id=refund.id)
            seller_order_record_refund(
                seller_order=seller_order, amount=card_refund.amount, actor=card_refund.actor, reference=refund.id
            )
    return card_refund


def refund_seller_order(*, seller_order: SellerOrder, amount: Decimal, actor) -> CardRefund:
    """Give back `amount` rupiah of one pesantren's part through the order's card payment.

    The refund is recorded with the part locked, made at Stripe after that commits, then booked
    (`card_refund_begin`, `card_refund_finish`). The Stripe idempotency key
    `seller-order-<pk>-refund-<n>` makes a retry after a crash return the same refund.
    """
    with transaction.atomic():
        seller_order = lock_seller_order(seller_order.pk)
        card_refund = card_refund_begin(seller_order=seller_order, amount=amount, actor=actor)
    return card_refund_finish(card_refund_id=card_refund.pk)
