"""Refund one pesantren's part of an order, whichever way the customer paid."""

import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from fulfilment.services import seller_order_record_refund


def refund_seller_order_part(*, seller_order, amount: Decimal, actor, reason: str = "") -> str:
    """Refund by card through Stripe, take the part off the company's invoice, or book a bank-transfer
    refund that finance pays by hand.

    Returns "card", "invoice" or "bank_transfer" so the caller can tell the user what happens next.
    `reason` (e.g. why the part was cancelled) is printed on an invoice's credit note.
    """
    from fulfilment.models import SellerOrder
    from invoices.models import Invoice
    from invoices.services import invoice_credit
    from payments.models import CardPayment, PaymentIntentStatus
    from payments.services import refund_seller_order

    invoice = Invoice.objects.filter(order_id=seller_order.order_id).first()
    if invoice is not None:
        # Nobody paid this order up front: the marketplace carries the credit, so the refund lowers what
        # the company owes (a credit note). Booked on the part too, which keeps the pesantren's ledger right.
        with transaction.atomic():
            # The part first, then the invoice: the lock order of every credit note.
            seller_order = SellerOrder.objects.select_for_update(of=("self",)).get(pk=seller_order.pk)
            credit = invoice_credit(
                invoice=invoice,
                amount=amount,
                seller_order=seller_order,
                reason=reason.strip() or _("Refund of %(number)s") % {"number": seller_order.number},
                actor=actor,
            )
            # The credit note's number is the refund's reference: unique, so each one debits the ledger once.
            seller_order_record_refund(seller_order=seller_order, amount=amount, actor=actor, reference=credit.number)
        return "invoice"
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
