"""Bridges Oscar's basket signals to the off-taker pricing."""

from django.dispatch import receiver
from oscar.apps.basket.signals import basket_addition

from basket.forms import line_price_record
from wholesale.strategy import OfftakerStrategy


@receiver(basket_addition, dispatch_uid="basket.record_tier_price_on_basket_addition")
def record_tier_price_on_basket_addition(sender, product, request=None, **kwargs):
    strategy = getattr(request, "strategy", None)
    if not isinstance(strategy, OfftakerStrategy):
        return
    for line in request.basket.lines.filter(product=product).select_related("product", "stockrecord"):
        line_price_record(line=line, strategy=strategy)
