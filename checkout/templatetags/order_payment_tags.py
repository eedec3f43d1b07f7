from django import template

from checkout.selectors import order_payment

register = template.Library()


@register.simple_tag
def order_payment_received(order):
    """How a card or bank-transfer order was paid (method, amount, when), or None while it is unpaid."""
    return order_payment(order=order)
