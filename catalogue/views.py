from django.http import Http404
from oscar.apps.catalogue.views import *  # noqa: F403
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from sellers.selectors import seller_for_product


class ProductDetailView(OscarProductDetailView):
    """Oscar's product page, plus the pesantren that makes the product."""

    def get_object(self, queryset=None):
        product = super().get_object(queryset)
        seller = seller_for_product(product)
        if seller is None or not seller.is_live:
            # A suspended (or not yet verified) pesantren's products are hidden with its storefront.
            raise Http404
        self.seller = seller
        return product

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "seller": self.seller}
