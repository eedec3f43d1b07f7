"""Product reads for listing pages: the search backend finds ids, the database hydrates them."""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db.models import QuerySet
from oscar.core.loading import get_model

from catalogue.selectors import products_with_card_relations
from core import page_cache
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


class ProductPage(Sequence):
    """The products of a page of ids, read from the database (products_in_order) on first use.

    Its truth and length are the ids' (no query), so a template can test it and hand it to
    `{% catalogue_cache %}`, which keys on `product_ids`: a cached grid never reads the products.
    """

    def __init__(self, product_ids: list[int]):
        self.product_ids = list(product_ids)
        self._products: list | None = None

    def _load(self) -> list:
        if self._products is None:
            self._products = products_in_order(self.product_ids)
        return self._products

    def __bool__(self) -> bool:
        return bool(self.product_ids)

    def __len__(self) -> int:
        # The ids' count until read (Django's Page tests its truth by len()); an id whose product
        # stopped being browsable since it was indexed (a moment until reindexed) is then left out.
        return len(self.product_ids if self._products is None else self._products)

    def __getitem__(self, index):
        return self._load()[index]

    def __iter__(self):
        return iter(self._load())

    def __eq__(self, other):
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"<ProductPage {self.product_ids}>"


@dataclass
class Listing:
    query: SearchQuery
    result: SearchResult
    products: ProductPage

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def facets(self) -> dict[str, list[tuple[str, str, int]]]:
        return self.result.facets


def search_listing(*, query: SearchQuery) -> Listing:
    """The backend's answer (ids, total, facets, spelling), cached until the catalogue or the index
    changes (core/page_cache.py), and the page's products, read when first used."""
    backend = get_backend()
    key = page_cache.catalogue_key("search", getattr(backend, "name", type(backend).__qualname__), repr(query))
    result = page_cache.cached_value(key, lambda: backend.search(query))
    return Listing(query=query, result=result, products=ProductPage(result.product_ids))


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
        size = self.query.page_size
        if start % size == 0 and stop - start <= size:
            # One page of the query's (the paginator's usual ask): its lazy ProductPage.
            page = self._listing(start // size + 1, size).products
            return page if stop - start >= len(page.product_ids) else page[: stop - start]
        # The paginator asks for [bottom:top] with top cut at the total (and orphans added):
        # answer from the query's own pages.
        products = []
        for page in range(start // size + 1, (stop - 1) // size + 2):
            products += self._listing(page, size).products
        first = (start // size) * size
        return products[start - first : stop - first]

    @property
    def facets(self):
        # Every page of a query has the same facets: any listing already read answers them.
        if self._listings:
            return next(iter(self._listings.values())).facets
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
