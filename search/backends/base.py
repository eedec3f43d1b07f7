"""The contract every search backend implements.

Views and tasks speak only these types, so the database and Elasticsearch backends are
interchangeable and one behavioural test suite (search/tests/contract.py) covers both.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, runtime_checkable

SORT_RELEVANCE = "relevance"
SORT_PRICE_ASC = "price_asc"
SORT_PRICE_DESC = "price_desc"
SORT_NEWEST = "newest"
SORT_BEST_SELLING = "best_selling"
SORT_RATING = "rating"
SORTS = (SORT_RELEVANCE, SORT_PRICE_ASC, SORT_PRICE_DESC, SORT_NEWEST, SORT_BEST_SELLING, SORT_RATING)

# Facet names, shared by both backends and the templates.
FACET_CATEGORY = "category"
FACET_SELLER = "seller"
FACET_KABUPATEN = "kabupaten"
FACET_SECTOR = "sector"
FACET_PRICE = "price"
FACET_HALAL = "halal"
FACET_IN_STOCK = "in_stock"
FACET_STARS = "stars"
FACETS = (
    FACET_CATEGORY,
    FACET_SELLER,
    FACET_KABUPATEN,
    FACET_SECTOR,
    FACET_PRICE,
    FACET_HALAL,
    FACET_IN_STOCK,
    FACET_STARS,
)

# Curation stars facet ("Bintang kurasi"): value "n" means at least n stars still valid on the day of the
# search (expired stars count as none), highest first.
STAR_LEVELS = (5, 4, 3, 2, 1)

# Price facet buckets in rupiah: (value, lower bound inclusive, upper bound exclusive or None).
# The value is the string the price facet returns and the views put in the URL ("min-max").
PRICE_BUCKETS: tuple[tuple[str, Decimal | None, Decimal | None], ...] = (
    ("0-25000", None, Decimal("25000")),
    ("25000-50000", Decimal("25000"), Decimal("50000")),
    ("50000-100000", Decimal("50000"), Decimal("100000")),
    ("100000-250000", Decimal("100000"), Decimal("250000")),
    ("250000-", Decimal("250000"), None),
)

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class SearchQuery:
    """What a user asked for. Empty text means "browse": every searchable product.

    `seller_slug` scopes the whole search to one pesantren's storefront (a hard scope, unlike the
    `seller_slugs` facet filter, so the seller facet then shows just that pesantren).
    Facet filters are ORed within one facet and ANDed across facets. Prices are half-open:
    price_min <= price < price_max, like the PRICE_BUCKETS.
    """

    text: str = ""
    category_ids: tuple[int, ...] = ()
    seller_slugs: tuple[str, ...] = ()
    kabupaten_codes: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    halal: bool | None = None
    in_stock: bool | None = None
    stars_min: int | None = None
    sort: str = SORT_RELEVANCE
    page: int = 1
    page_size: int = 24
    seller_slug: str | None = None

    def __post_init__(self):
        if self.sort not in SORTS:
            raise ValueError(f"Unknown sort {self.sort!r}; expected one of {', '.join(SORTS)}")
        if self.page < 1:
            raise ValueError("page must be 1 or more")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        if self.stars_min is not None and self.stars_min not in STAR_LEVELS:
            raise ValueError(f"stars_min must be one of {STAR_LEVELS}")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class SearchResult:
    """One page of product ids in rank order, the total number of matches, and facet counts.

    facets maps a facet name (FACETS) to [(value, label, count)], where each facet's counts apply
    every selected filter except that facet's own. Only values with a count above 0 are listed,
    most frequent first (price buckets in PRICE_BUCKETS order). Values: category -> str(category id),
    seller -> slug, kabupaten -> region code, sector -> Sector value, price -> PRICE_BUCKETS value,
    halal and in_stock -> "true" (the count of halal / in-stock products), stars -> "n" of STAR_LEVELS
    (products with at least n valid curation stars, in STAR_LEVELS order).

    suggestion is the query with its misspelt words corrected ("kerudng" -> "kerudung"), or None
    (search.vocabulary.forgive_typos). corrected is True when the query as typed found nothing and
    these are the suggestion's results instead.
    """

    product_ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    corrected: bool = False


@runtime_checkable
class SearchBackend(Protocol):
    name: str

    def search(self, query: SearchQuery) -> SearchResult: ...

    def autocomplete(self, text: str, limit: int = 8) -> dict[str, list[dict]]:
        """{"products": [{"id", "title", "url"}], "pesantren": [{"slug", "name", "url"}],
        "categories": [{"id", "name", "url"}]}"""
        ...

    def index_products(self, product_ids: Iterable[int]) -> int:
        """Upsert documents for these ids; delete those whose product is gone. Returns how many were written."""
        ...

    def rebuild(self, *, batch_size: int = 1000, progress: Callable[[int], None] | None = None) -> int:
        """Reindex every product in batches of ids; `progress(n)` is called with each batch's size."""
        ...

    def ping(self) -> bool: ...


def price_bucket_bounds(value: str) -> tuple[Decimal | None, Decimal | None]:
    """(price_min, price_max) of a price facet value such as "25000-50000"; ValueError if it is not one."""
    for bucket, lower, upper in PRICE_BUCKETS:
        if bucket == value:
            return lower, upper
    raise ValueError(f"Unknown price range {value!r}")


def stars_label(value: str) -> str:
    from django.utils.translation import gettext, ngettext

    stars = int(value)
    if stars == max(STAR_LEVELS):
        return ngettext("%(stars)s star", "%(stars)s stars", stars) % {"stars": stars}
    return gettext("%(stars)s stars and up") % {"stars": stars} if stars > 1 else gettext("Any curation stars")


def price_bucket_label(value: str) -> str:
    from django.utils.translation import gettext

    from core.money import format_rupiah

    lower, upper = price_bucket_bounds(value)
    if lower is None:
        return gettext("Under %(max)s") % {"max": format_rupiah(upper)}
    if upper is None:
        return gettext("%(min)s and above") % {"min": format_rupiah(lower)}
    return gettext("%(min)s – %(max)s") % {"min": format_rupiah(lower), "max": format_rupiah(upper)}
