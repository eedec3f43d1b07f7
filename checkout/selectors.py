import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from checkout.payment_methods import payment_method_label
from core import payment_methods as registry
from fulfilment.order_status import ORDER_CANCELLED, ORDER_PENDING_PAYMENT


def order_status_url(order, request) -> str:
    if order.user_id is not None:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse("checkout:thank-you")


@dataclass(frozen=True)
class OrderPayment:
    method: str
    amount: Decimal
    currency: str
    paid_at: datetime.datetime


def order_payment(*, order) -> OrderPayment | None:
    """The payment (card, bank transfer, Midtrans, ...) that paid `order`, for the customer's success message.

    None while any pesantren part still waits for payment, when every part was cancelled before it
    was paid, and for orders paid otherwise (a company's invoice)."""
    sources = [source for source in order.sources.all() if registry.is_registered(source.source_type.code)]
    if not sources:
        return None
    paid = [part.paid_at for part in order.seller_orders.all() if part.paid_at is not None]
    if not paid or order.status in (ORDER_PENDING_PAYMENT, ORDER_CANCELLED):
        return None
    source = sources[0]
    return OrderPayment(
        method=payment_method_label(source.source_type.code),
        amount=sum((s.amount_allocated for s in sources), Decimal(0)),
        currency=source.currency,
        paid_at=min(paid),
    )
