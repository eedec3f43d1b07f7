from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from fulfilment.services import split_order


@receiver(order_placed, dispatch_uid="fulfilment.split_order_on_placement")
def split_placed_order(sender, order, **kwargs):
    split_order(order=order)
