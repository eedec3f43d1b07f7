import functools

from django.conf import settings
from django.http import Http404
from django.utils.decorators import method_decorator
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.catalogue.views import *  # noqa: F403
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_model

from catalogue.selectors import products_with_card_relations
from core.page_cache import cache_anonymous_page, cached_value, catalogue_key
from sellers.selectors import seller_for_product

Product = get_model("catalogue", "Product")


def _viewed_from_page_cache(request, response, *args, **kwargs):
    """What the view does after rendering, for a page served from the cache: Oscar's view signal, which
    counts the view (analytics) and adds the product to the visitor's recently viewed cookie."""
    product_viewed.send(
        sender=ProductDetailView,
        product=Product(pk=kwargs["pk"]),
        user=request.user,
        request=request,
        response=response,
    )


@method_decorator(
    cache_anonymous_page(vary_cookies=(settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME,), on_hit=_viewed_from_page_cache),
    name="dispatch",
)
class ProductDetailView(OscarProductDetailView):
    """Oscar's product page, plus the pesantren that makes the product."""

    def get_queryset(self):
        # The stock record with its pesantren and wholesale terms, the images and options: one query each.
        # A verified company's member (whose strategy carries the company) also needs the wholesale terms.
        company = getattr(getattr(self.request, "strategy", None), "company", None)
        return products_with_card_relations(options=False, wholesale=company is not None)

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        # The product with its relations and its pesantren, read once per catalogue version (and the
        # pricing's need of wholesale terms) like the page's fragment: a visitor the fragment serves
        # costs no catalogue query at all. A 404 is not stored.
        company = getattr(getattr(self.request, "strategy", None), "company", None)
        key = catalogue_key("product-page-object", self.kwargs.get("pk"), company is not None)
        product, self.seller = cached_value(key, lambda: self._product_and_seller(queryset))
        return product

    def _product_and_seller(self, queryset):
        product = super().get_object(queryset)
        seller = seller_for_product(product)
        if seller is None or not seller.is_live:
            # A suspended (or not yet verified) pesantren's products are hidden with its storefront.
            raise Http404
        return product, seller

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seller": self.seller}

    def get_alert_status(self):
        # A callable, which the template calls only where it shows the stock alert form (out of stock).
        return functools.partial(super().get_alert_status)
