"""Stripe webhook handling: store each event once, then re-fetch and apply the state it points at.

Handlers never trust the event's copy of an object: delivery is at least once and in any order,
so each handler asks Stripe for the current state through `sync_payment_intent`, outside any
transaction.
"""

import json
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from payments.models import CardRefund, CardRefundStatus, StripeEvent
from payments.services import sync_payment_intent
from payments.stripe_api import StripeObjectNotFound, from_stripe_amount

logger = logging.getLogger(__name__)


# PaymentIntents that pay something other than an order (an invoice's balance, say) arrive on the
# same webhook. The apps that create them sit above payments and register here in their
# AppConfig.ready: `owns(payment_intent)` tells whether it is theirs (an event's copy will do),
# `sync(payment_intent_id=...)` books its current state.
_payment_intent_owners: list[tuple[Callable[[object], bool], Callable[..., object]]] = []


def register_payment_intent_owner(*, owns: Callable[[object], bool], sync: Callable[..., object]) -> None:
    if (owns, sync) not in _payment_intent_owners:
        _payment_intent_owners.append((owns, sync))


def _payment_intent_changed(event) -> None:
    payment_intent = event.data.object
    for owns, sync in _payment_intent_owners:
        if owns(payment_intent):
            sync(payment_intent_id=payment_intent.id)
            return
    sync_payment_intent(payment_intent_id=payment_intent.id)


def _charge_refunded(event) -> None:
    charge = event.data.object.to_dict()
    if not charge.get("payment_intent"):
        return
    payment = sync_payment_intent(payment_intent_id=charge["payment_intent"])
    if payment is None:
        return
    # Pending refunds count: Stripe may report one before we have booked its answer.
    booked = sum(
        refund.amount
        for refund in CardRefund.objects.filter(card_payment__order_id=payment.order_id).exclude(
            status=CardRefundStatus.FAILED
        )
    )
    refunded = from_stripe_amount(charge.get("amount_refunded") or 0)
    if refunded > booked:
        # Refunded from Stripe's dashboard rather than ours: finance must book it per pesantren.
        logger.error("Order %s: Stripe shows %s refunded, only %s booked", payment.order.number, refunded, booked)


HANDLERS: dict[str, Callable] = {
    "payment_intent.succeeded": _payment_intent_changed,
    "payment_intent.payment_failed": _payment_intent_changed,
    "payment_intent.canceled": _payment_intent_changed,
    "payment_intent.requires_action": _payment_intent_changed,
    "payment_intent.processing": _payment_intent_changed,
    "charge.refunded": _charge_refunded,
}


def handle_stripe_event(*, event, payload: bytes) -> StripeEvent | None:
    """Act on a verified event, then store it. None when it was seen before.

    Handlers ask Stripe for the current state, so they run outside any transaction (no row lock is
    held over that call, see core.locks); each books what it learns in short transactions of its
    own and is safe to run any number of times. The event is stored only once its handler has
    succeeded, so a failure leaves Stripe's retry a fresh chance; two deliveries racing each other
    may both run the handler, which books once, and the unique event id stores one of them.
    """
    if StripeEvent.objects.filter(event_id=event.id).exists():
        logger.info("Stripe event %s delivered again; ignored", event.id)
        return None
    handler = HANDLERS.get(event.type)
    processed = handler is not None
    if handler is not None:
        try:
            handler(event)
        except StripeObjectNotFound:
            # Correctly signed, yet naming a PaymentIntent Stripe does not know: retrying cannot
            # help, so the event is kept unprocessed and acknowledged.
            logger.warning("Stripe event %s (%s) names an object Stripe does not have", event.id, event.type)
            processed = False
    try:
        with transaction.atomic():
            return StripeEvent.objects.create(
                event_id=event.id,
                type=event.type,
                payload=json.loads(payload),
                processed_at=timezone.now() if processed else None,
            )
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event.id).exists():
            logger.info("Stripe event %s delivered twice at once; stored once", event.id)
            return None
        raise
