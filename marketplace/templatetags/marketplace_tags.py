"""Template helpers for the consumer pages.

Listing views prefetch `stockrecords__partner__seller__kabupaten`, so these helpers only read
prefetched relations (`.all()`), never `.first()` or filters that would query once per card.
"""

from django import template
from django.http import QueryDict

from sellers.selectors import seller_for_product

register = template.Library()


@register.filter
def product_seller(product):
    """The pesantren behind a product, or None; read from its prefetched stock records."""
    return seller_for_product(product)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or '' drops one).

    Used by pagination and filter links so that a page change keeps the active filters.
    """
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return f"?{params.urlencode()}"


SECTOR_ICONS = {
    "food": "fa-utensils",
    "drinks": "fa-mug-hot",
    "fashion": "fa-tshirt",
    "crafts": "fa-palette",
    "agriculture": "fa-seedling",
    "fisheries": "fa-fish",
    "livestock": "fa-egg",
    "herbal": "fa-leaf",
    "services": "fa-hands-helping",
}


@register.filter
def sector_icon(sector: str) -> str:
    """A Font Awesome icon class for an OPOP sector code."""
    return SECTOR_ICONS.get(sector, "fa-store")
