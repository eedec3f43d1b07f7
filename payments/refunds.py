"""Refund one pesantren's part of an order, whichever way the customer paid.

A refund is recorded while the part is locked (`begin_refund`, in the caller's transaction) and
finished after that transaction commits (`finish_refund`): a card refund calls Stripe only then,
with no row lock held, and books Stripe's answer in a transaction of its own (see
`payments.services.card_refund_finish`). Credit notes and bank-transfer refunds move no money
over the network, so they are booked at once.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.locks import lock_seller_order
from fulfilment.services import seller_order_record_refund


@dataclass(frozen=True)
class Refunded:
    method: str  # "card", "invoice" or "bank_transfer": what the user is told happens next
    amount: Decimal
    card_refund_id: int | None = None


def begin_refund(*, seller_order, amount: Decimal, actor, reason: str = "") -> Refunded:
    """Record the refund of `amount` rupiah of a part. Call inside a transaction, with the order and
    the part locked (`core.locks.lock_seller_order`); then call `finish_refund` after it commits.

    A part of an invoiced order gets a credit note (the company owes less); a part paid by card gets
    a pending card refund; otherwise a bank-transfer refund is booked that finance pays by hand.
    `reason` (e.g. why the part was cancelled) is printed on an invoice's credit note.
    """
    from invoices.models import Invoice
    from invoices.services import invoice_credit
    from payments.models import CardPayment, PaymentIntentStatus
    from payments.services import card_refund_begin

    amount = Decimal(amount)
    invoice_id = Invoice.objects.filter(order_id=seller_order.order_id).values_list("pk", flat=True).first()
    if invoice_id is not None:
        # Nobody paid this order up front: the marketplace carries the credit, so the refund lowers what
        # the company owes. Booked on the part too, which keeps the pesantren's ledger right.
        credit = invoice_credit(
            invoice=Invoice(pk=invoice_id),
            amount=amount,
            seller_order=seller_order,
            reason=reason.strip() or _("Refund of %(number)s") % {"number": seller_order.number},
            actor=actor,
        )
        # The credit note's number is the refund's reference: unique, so each one debits the ledger once.
        seller_order_record_refund(seller_order=seller_order, amount=amount, actor=actor, reference=credit.number)
        return Refunded(method="invoice", amount=amount)
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
    """After `begin_refund`'s transaction committed: make a card refund at Stripe and book it."""
    from payments.services import card_refund_finish

    if refunded.card_refund_id is not None:
        card_refund_finish(card_refund_id=refunded.card_refund_id)
    return refunded


def refund_seller_order_part(*, seller_order, amount: Decimal, actor, reason: str = "") -> Refunded:
    """Refund `amount` rupiah of a part, however it was paid: by card through Stripe, by taking the
    part off the company's invoice, or by booking a bank-transfer refund that finance pays by hand."""
    with transaction.atomic():
        seller_order = lock_seller_order(seller_order.pk)
        refunded = begin_refund(seller_order=seller_order, amount=amount, actor=actor, reason=reason)
    return finish_refund(refunded)
