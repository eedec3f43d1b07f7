from django import template

from fulfilment.selectors import seller_orders_with_timeline

register = template.Library()


@register.inclusion_tag("fulfilment/includes/order_timeline.html")
def order_timeline(order):
    """Each pesantren's shipment of a customer's order: status, courier, tracking number, history."""
    return {"order": order, "seller_orders": seller_orders_with_timeline(order=order)}
