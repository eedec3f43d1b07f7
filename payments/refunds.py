"""Refund one pesantren's part of an order, whichever way the customer paid.

A refund is recorded while the part is locked (`begin_refund`, in the caller's transaction) and
finished after that transaction commits (`finish_refund`): a card refund calls Stripe only then,
with no row lock held, and books Stripe's answer in a transaction of its own (see
`payments.services.card_refund_finish`). Credit notes and bank-transfer refunds move no money
over the network, so they are booked at once.
"""

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from core.locks import lock_seller_order
from fulfilment.refunds import RefundFailed, RefundProvider
from fulfilment.services import seller_order_record_refund
from payments.stripe_api import PaymentError


@dataclass(frozen=True)
class Refunded:
    method: str  # "card", "invoice", "ewallet" or "bank_transfer": what the user is told happens next
    amount: Decimal
    card_refund_id: int | None = None
    # A registered method whose money goes back over the network (midtrans: e-wallets) gives the
    # call to make once `begin_refund`'s transaction has committed.
    finisher: Callable[[], object] | None = None


# Ways of paying booked outside payments register their refund here in their AppConfig.ready, and
# are asked before card and bank transfer (invoices: an invoiced part gets a credit note). Each is
# called as `begin_refund` is and returns a `Refunded`, or None when the part was not paid its way.
_other_refund_methods: list[Callable[..., Refunded | None]] = []


def register_refund_method(refund: Callable[..., Refunded | None]) -> None:
    if refund not in _other_refund_methods:
        _other_refund_methods.append(refund)


def begin_refund(*, seller_order, amount: Decimal, actor, reason: str = "") -> Refunded:
    """Record the refund of `amount` rupiah of a part. Call inside a transaction, with the order and
    the part locked (`core.locks.lock_seller_order`); then call `finish_refund` after it commits.

    A part of an invoiced order gets a credit note (the company owes less); a part paid by card gets
    a pending card refund; otherwise a bank-transfer refund is booked that finance pays by hand.
    `reason` (e.g. why the part was cancelled) is printed on an invoice's credit note.
    """
    from payments.models import CardPayment, PaymentIntentStatus
    from payments.services import card_refund_begin

    amount = Decimal(amount)
    for refund in _other_refund_methods:
        refunded = refund(seller_order=seller_order, amount=amount, actor=actor, reason=reason)
        if refunded is not None:
            return refunded
    paid_by_card = CardPayment.objects.filter(
        order_id=seller_order.order_id, status=PaymentIntentStatus.SUCCEEDED
    ).exists()
    if paid_by_card:
        card_refund = card_refund_begin(seller_order=seller_order, amount=amount, actor=actor)
        return Refunded(method="card", amount=amount, card_refund_id=card_refund.pk)
    seller_order_record_refund(
        # Nothing leaves the platform here, so each booking is its own event: a fresh reference.
        seller_order=seller_order,
        amount=amount,
        actor=actor,
        reference=f"manual-{uuid.uuid4().hex[:12]}",
    )
    return Refunded(method="bank_transfer", amount=amount)


def finish_refund(refunded: Refunded) -> Refunded:
    """After `begin_refund`'s transaction committed: make a card refund at Stripe (or a registered
    method's refund at its provider) and book it."""
    from payments.services import card_refund_finish

    if refunded.card_refund_id is not None:
        card_refund_finish(card_refund_id=refunded.card_refund_id)
    if refunded.finisher is not None:
        refunded.finisher()
    return refunded


def refund_seller_order_part(*, seller_order, amount: Decimal, actor, reason: str = "") -> Refunded:
    """Refund `amount` rupiah of a part, however it was paid: by card through Stripe, by taking the
    part off the company's invoice, or by booking a bank-transfer refund that finance pays by hand."""
    with transaction.atomic():
        seller_order = lock_seller_order(seller_order.pk)
        refunded = begin_refund(seller_order=seller_order, amount=amount, actor=actor, reason=reason)
    return finish_refund(refunded)


def _failing_as_refund_failed(refund: Callable) -> Callable:
    @functools.wraps(refund)
    def wrapper(*args, **kwargs):
        try:
            return refund(*args, **kwargs)
        except PaymentError as error:
            raise RefundFailed(str(error)) from error

    return wrapper


# What fulfilment calls to give money back (fulfilment.refunds), registered in PaymentsConfig.ready.
REFUND_PROVIDER = RefundProvider(
    begin=_failing_as_refund_failed(begin_refund),
    finish=_failing_as_refund_failed(finish_refund),
    refund_part=_failing_as_refund_failed(refund_seller_order_part),
)
