"""Refund one pesantren's part of an order, whichever way the customer paid."""

import uuid
from decimal import Decimal

from django.db import transaction

from fulfilment.services import seller_order_record_refund


def refund_seller_order_part(*, seller_order, amount: Decimal, actor) -> str:
    """Refund by card through Stripe, or book a bank-transfer refund that finance pays by hand.

    Returns "card" or "bank_transfer" so the caller can tell the user what happens next.
    """
    from payments.models import CardPayment, PaymentIntentStatus
    from payments.services import refund_seller_order

    paid_by_card = CardPayment.objects.filter(
        order_id=seller_order.order_id, status=PaymentIntentStatus.SUCCEEDED
    ).exists()
    if paid_by_card:
        refund_seller_order(seller_order=seller_order, amount=amount, actor=actor)
        return "card"
    with transaction.atomic():
        seller_order_record_refund(
            # Nothing leaves the platform here, so each booking is its own event: a fresh reference.
            seller_order=seller_order,
            amount=amount,
            actor=actor,
            reference=f"manual-{uuid.uuid4().hex[:12]}",
        )
    return "bank_transfer"
