from decimal import ROUND_HALF_UP, Decimal

from django import template

from ratings.models import MAX_RATING
from ratings.selectors import (
    product_rating_summary,
    published_reviews_for_product,
    published_reviews_for_seller,
    review_states_for_order,
    seller_rating_summary,
)

register = template.Library()

# How many reviews a product page or storefront shows before linking to the full list.
REVIEWS_SHOWN = 5


@register.filter
def star_icons(value) -> list[str]:
    """Five icon names ("full", "half", "empty") for a rating, rounded to the nearest half star."""
    if value in (None, ""):
        return ["empty"] * MAX_RATING
    halves = int((Decimal(value) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ["full" if halves >= 2 * i else "half" if halves == 2 * i - 1 else "empty" for i in range(1, MAX_RATING + 1)]


def _summary_for_page(product):
    # The product page shows the summary twice (beside the title, above the reviews): one query.
    if not hasattr(product, "_page_rating_summary"):
        product._page_rating_summary = product_rating_summary(product=product)
    return product._page_rating_summary


@register.inclusion_tag("ratings/includes/rating_summary.html")
def product_rating(product):
    """Stars, average and count of a product's published reviews, for beside its title."""
    return {"summary": _summary_for_page(product), "anchor": "#reviews"}


@register.inclusion_tag("ratings/includes/product_reviews.html")
def product_reviews(product):
    """The product page's review section: summary and the latest published reviews with replies."""
    return {
        "product": product,
        "summary": _summary_for_page(product),
        "reviews": list(published_reviews_for_product(product=product)[:REVIEWS_SHOWN]),
    }


@register.inclusion_tag("ratings/includes/seller_reviews.html")
def seller_reviews(seller):
    """The storefront's review card: the pesantren's rating and the latest published reviews."""
    return {
        "seller": seller,
        "summary": seller_rating_summary(seller=seller),
        "reviews": list(published_reviews_for_seller(seller=seller)[:REVIEWS_SHOWN]),
    }


@register.simple_tag(takes_context=True)
def review_states(context, order):
    """Line id → "reviewed"/"reviewable" for the signed-in customer's order, looked up once per page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return review_states_for_order(order=order, user=user) if user else {}


@register.inclusion_tag("ratings/includes/line_review_action.html")
def line_review_action(line, states):
    return {"line": line, "state": states.get(line.pk)}
