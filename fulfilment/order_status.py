"""The customer's order status, derived from its pesantren parts (the SellerOrders).

Oscar's `Order.status` is a plain string with no machine of its own: each part moves through
`fulfilment.models.SELLER_ORDER_MACHINE` (via `core.transitions`), and the order's status is only
ever recomputed from the parts' statuses by `fulfilment.services._sync_order_status`. The values
stay English strings (Oscar stores and filters on them); `ORDER_STATUS_LABELS` gives the text the
customer reads.
"""

from collections.abc import Iterable

from django.utils.translation import pgettext_lazy

from fulfilment.models import SellerOrderStatus as S

ORDER_PENDING_PAYMENT = "Pending payment"
ORDER_PAID = "Paid"
ORDER_PROCESSING = "Processing"
ORDER_PARTLY_SHIPPED = "Partly shipped"
ORDER_SHIPPED = "Shipped"
ORDER_DELIVERED = "Delivered"
ORDER_COMPLETED = "Completed"
ORDER_CANCELLED = "Cancelled"

ORDER_STATUS_LABELS = {
    ORDER_PENDING_PAYMENT: pgettext_lazy("order status", "Pending payment"),
    ORDER_PAID: pgettext_lazy("order status", "Paid"),
    ORDER_PROCESSING: pgettext_lazy("order status", "Processing"),
    ORDER_PARTLY_SHIPPED: pgettext_lazy("order status", "Partly shipped"),
    ORDER_SHIPPED: pgettext_lazy("order status", "Shipped"),
    ORDER_DELIVERED: pgettext_lazy("order status", "Delivered"),
    ORDER_COMPLETED: pgettext_lazy("order status", "Completed"),
    ORDER_CANCELLED: pgettext_lazy("order status", "Cancelled"),
}

_CLOSED = {S.CANCELLED, S.REFUNDED}
_ON_THE_WAY_OR_LATER = {S.SHIPPED, S.DELIVERED, S.COMPLETED}
_ARRIVED = {S.DELIVERED, S.COMPLETED}
_IN_HAND = {S.ACCEPTED, S.PACKED}


def derive_order_status(part_statuses: Iterable[str]) -> str:
    """The order's status from its parts' statuses.

    Cancelled or refunded parts are left out while any other part is alive: an order with one part
    cancelled and the other shipped is "Shipped". Then: any part unpaid → Pending payment; all
    completed → Completed; all delivered or completed → Delivered; all shipped or further → Shipped;
    some shipped → Partly shipped; any accepted or packed → Processing; otherwise Paid.
    """
    statuses = set(part_statuses)
    live = statuses - _CLOSED
    if not live:
        return ORDER_CANCELLED
    if S.PENDING_PAYMENT in live:
        return ORDER_PENDING_PAYMENT
    if live == {S.COMPLETED}:
        return ORDER_COMPLETED
    if live <= _ARRIVED:
        return ORDER_DELIVERED
    if live <= _ON_THE_WAY_OR_LATER:
        return ORDER_SHIPPED
    if live & _ON_THE_WAY_OR_LATER:
        return ORDER_PARTLY_SHIPPED
    if live & _IN_HAND:
        return ORDER_PROCESSING
    return ORDER_PAID


def order_status_label(status: str) -> str:
    """What the customer reads for an order status (the stored value when it is not one of ours)."""
    return ORDER_STATUS_LABELS.get(status, status)
