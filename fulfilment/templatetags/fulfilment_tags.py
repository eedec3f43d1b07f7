from django import template

from fulfilment.order_status import order_status_label as _order_status_label
from fulfilment.selectors import orders_with_parts as _orders_with_parts
from fulfilment.selectors import seller_orders_with_timeline

register = template.Library()


@register.inclusion_tag("fulfilment/includes/order_timeline.html")
def order_timeline(order):
    """Each pesantren's shipment of a customer's order: status, courier, tracking number, history."""
    return {"order": order, "seller_orders": seller_orders_with_timeline(order=order)}


@register.filter
def order_status_label(status):
    """The customer's words for an order status derived from its parts ("Dikirim", "Dikirim sebagian")."""
    return _order_status_label(status or "")


@register.simple_tag
def orders_with_parts(orders):
    """The orders of a list page with their pesantren parts loaded in one query."""
    return _orders_with_parts(orders=orders)


@register.inclusion_tag("fulfilment/includes/order_status.html")
def order_status(order):
    """The order's overall status as a badge (`data-order-status` holds the stored value)."""
    return {"order": order, "label": _order_status_label(order.status or "")}
