"""Product reads for listing pages: the search backend finds ids, the database hydrates them."""

from dataclasses import dataclass, replace

from django.db.models import QuerySet
from oscar.core.loading import get_model

from catalogue.selectors import products_with_card_relations
from search.backends import get_backend
from search.backends.base import SearchQuery, SearchResult
from sellers.models import SellerStatus

Product = get_model("catalogue", "Product")


def browsable_products() -> QuerySet:
    """Public products of verified pesantren, with what a product card shows prefetched."""
    return (
        products_with_card_relations()
        .browsable()
        .filter(stockrecords__partner__seller__status=SellerStatus.VERIFIED)
        .distinct()
        .order_by("-date_created", "-pk")
    )


def products_in_order(product_ids: list[int]) -> list:
    """Browsable products for these ids in the given (ranked) order, in one queryset plus its prefetches.

    An id whose product stopped being browsable since it was indexed is left out.
    """
    if not product_ids:
        return []
    by_id = {product.pk: product for product in browsable_products().filter(pk__in=product_ids)}
    return [by_id[pk] for pk in product_ids if pk in by_id]


@dataclass
class Listing:
    query: SearchQuery
    result: SearchResult
    products: list

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def facets(self) -> dict[str, list[tuple[str, str, int]]]:
        return self.result.facets


def search_listing(*, query: SearchQuery) -> Listing:
    result = get_backend().search(query)
    return Listing(query=query, result=result, products=products_in_order(result.product_ids))


class SearchResultList:
    """A lazy, sliceable list of the products matching a query, for Django's Paginator and ListView.

    The paginator asks for count() and then one page slice; both are answered by one backend search
    when the slice is the page the query was made for.
    """

    def __init__(self, query: SearchQuery):
        self.query = query
        self._listings: dict[tuple[int, int], Listing] = {}

    def _listing(self, page: int, page_size: int) -> Listing:
        key = (page, page_size)
        if key not in self._listings:
            self._listings[key] = search_listing(query=replace(self.query, page=page, page_size=page_size))
        return self._listings[key]

    def count(self) -> int:
        if self._listings:
            return next(iter(self._listings.values())).total
        return self._listing(self.query.page, self.query.page_size).total

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self._listing(self.query.page, self.query.page_size).products)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        if stop <= start:
            return []
        # The paginator asks for [bottom:top] with top cut at the total (and orphans added):
        # answer from the query's own pages.
        size = self.query.page_size
        products = []
        for page in range(start // size + 1, (stop - 1) // size + 2):
            products += self._listing(page, size).products
        first = (start // size) * size
        return products[start - first : stop - first]

    @property
    def facets(self):
        return self._listing(self.query.page, self.query.page_size).facets


def search_products(*, query: str = "", category=None, seller=None, page_size: int = 24) -> SearchResultList:
    """Products matching a text, optionally in a category or one pesantren's storefront, best first."""
    return SearchResultList(
        SearchQuery(
            text=query,
            category_ids=(category.pk,) if category is not None else (),
            seller_slug=seller.slug if seller is not None else None,
            page_size=page_size,
        )
    )
