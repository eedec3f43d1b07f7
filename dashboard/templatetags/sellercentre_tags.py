"""Template helpers of the seller centre's layout (templates/sellercentre/base.html)."""

from django import template

from sellers.access import seller_for_user

register = template.Library()

# URL name (or namespace) → the section of the seller centre's navigation it belongs to.
_SECTIONS = {
    "dashboard:index": "home",
    "fulfilment-dashboard": "orders",
    "dashboard:catalogue-product-list": "products",
    "dashboard:catalogue-product": "products",
    "dashboard:catalogue-product-delete": "products",
    "dashboard:seller-product-create": "products",
    "dashboard:seller-product-edit": "products",
    "dashboard:product-import": "products",
    "dashboard:product-import-job": "products",
    "wholesale": "products",
    "competitions-seller": "products",
    "dashboard:stock-alert-list": "stock",
    "ratings-dashboard": "reviews",
    "quotes-dashboard": "rfqs",
    "payouts-dashboard": "money",
    "dashboard:seller-sales": "money",
    "dashboard:seller-bank-account": "money",
    "shipping-dashboard": "shop",
    "dashboard:seller-profile": "shop",
    "dashboard:team": "shop",
}


@register.simple_tag(takes_context=True)
def sc_shop(context):
    """The pesantren of the page: the view's `seller`, or the signed-in user's (cached per request)."""
    seller = context.get("seller")
    if seller is None and "request" in context:
        seller = seller_for_user(user=context["request"].user)
    return seller


@register.simple_tag(takes_context=True)
def sc_section(context, nav=""):
    """Which navigation entry the page is under: the view's `nav`, else found from the URL name."""
    if nav:
        return nav
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return _SECTIONS.get(match.view_name) or _SECTIONS.get(match.namespace, "")
