"""Refunds of an invoiced order's part, registered with `payments.refunds` (see InvoicesConfig)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from fulfilment.services import seller_order_record_refund
from invoices.models import Invoice
from invoices.services import invoice_credit
from payments.refunds import Refunded


def refund_by_credit_note(*, seller_order, amount: Decimal, actor, reason: str = "") -> Refunded | None:
    """A credit note for a part of an invoiced order; None when the order has no invoice.

    Call as `payments.refunds.begin_refund` is: in a transaction, with the order and the part locked.
    """
    invoice_id = Invoice.objects.filter(order_id=seller_order.order_id).values_list("pk", flat=True).first()
    if invoice_id is None:
        return None
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
