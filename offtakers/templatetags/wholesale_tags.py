from django import template

from offtakers.selectors import wholesale_offer_for_stockrecord
from offtakers.strategy import OfftakerStrategy

register = template.Library()


@register.simple_tag(takes_context=True)
def wholesale_offer(context, stockrecord):
    """Tiers and MOQ of `stockrecord` for a verified off-taker, else None.

    Oscar's basket middleware has already chosen the request's strategy, and only verified off-takers get
    ours, so consumers and visitors cost no query here.
    """
    request = context.get("request")
    if not isinstance(getattr(request, "strategy", None), OfftakerStrategy):
        return None
    return wholesale_offer_for_stockrecord(stockrecord=stockrecord)


@register.simple_tag(takes_context=True)
def is_verified_offtaker(context) -> bool:
    request = context.get("request")
    return isinstance(getattr(request, "strategy", None), OfftakerStrategy)
