from django import template
from oscar.templatetags.basket_tags import basket_form

from wholesale.selectors import lowest_tiers, wholesale_offer_for_stockrecord
from wholesale.strategy import MinimumQuantity, OfftakerStrategy

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


@register.simple_tag(takes_context=True)
def wholesale_basket_form(context, product):
    """Oscar's add-to-basket form with a quantity starting at the MOQ, for a verified off-taker, else None.

    Oscar's forms post a quantity of 1, which a wholesale minimum above 1 always refuses. The product page
    shows the quantity field; the listings' one-click button posts the MOQ.
    """
    request = context.get("request")
    if not isinstance(getattr(request, "strategy", None), OfftakerStrategy):
        return None
    form = basket_form(request, product, quantity_type="multiple")
    if not form:
        return None
    availability = request.strategy.fetch_for_product(product).availability
    if isinstance(availability, MinimumQuantity):
        form.initial["quantity"] = availability.moq
        form.fields["quantity"].widget.attrs["min"] = availability.moq
    return form


@register.simple_tag(takes_context=True)
def prime_wholesale_from(context, products) -> str:
    """Give each product card of a page its "from Rp X for ≥ N" tier, for a verified off-taker only.

    Sets `product.wholesale_from` (the cheapest tier of the stock record the card prices, when it is
    below the card's price) on every product in one query for the page; a consumer's or visitor's page
    costs none. The stock records must be prefetched (the listing selectors do). Renders nothing.
    """
    request = context.get("request")
    strategy = getattr(request, "strategy", None)
    if not isinstance(strategy, OfftakerStrategy):
        return ""
    products = list(products)
    records = {}
    for product in products:
        info = strategy.fetch_for_product(product)
        if info.stockrecord is not None and info.price.exists:
            records[product.pk] = (info.stockrecord, info.price.excl_tax)
    tiers = lowest_tiers(stockrecord_ids=[record.pk for record, _price in records.values()])
    for product in products:
        record, price = records.get(product.pk, (None, None))
        tier = tiers.get(record.pk) if record is not None else None
        product.wholesale_from = tier if tier is not None and tier.unit_price < price else None
    return ""
