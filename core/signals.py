"""Signals that let lower apps announce changes without importing the apps that react to them."""

from django.dispatch import Signal

# Sent with `product_ids` (an iterable of product primary keys) when a change outside the product's
# own rows alters what shoppers see of it, such as units sold or stock taken by an order. Search
# re-indexes these products; order and fulfilment sit below search and must not call it.
products_changed = Signal()
