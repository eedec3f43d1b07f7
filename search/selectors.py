"""Product queries for listing pages.

The database backend: a simple case-insensitive match that works on SQLite and PostgreSQL.
"""

from django.db.models import Q, QuerySet
from oscar.core.loading import get_model

from sellers.models import SellerStatus

Product = get_model("catalogue", "Product")


def browsable_products() -> QuerySet:
    """Public products of verified pesantren, with what a product card shows prefetched."""
    return (
        Product.objects.base_queryset()  # annotates has_options, which product cards read
        .browsable()
        .filter(stockrecords__partner__seller__status=SellerStatus.VERIFIED)
        .distinct()
        .select_related("product_class")
        .prefetch_related(
            "images",
            "stockrecords__partner__seller__kabupaten",
            "children__stockrecords",
        )
        .order_by("-date_created", "-pk")
    )


def search_products(*, query: str = "", category=None, seller=None) -> QuerySet:
    products = browsable_products()
    if category is not None:
        products = products.filter(categories__in=category.get_descendants_and_self())
    if seller is not None:
        products = products.filter(stockrecords__partner__seller=seller)
    for term in query.split():
        products = products.filter(
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(stockrecords__partner__seller__name__icontains=term)
        )
    return products
