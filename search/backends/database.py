"""Search over the database: PostgreSQL full-text search (`indonesian` + pg_trgm), or a plain SQLite fallback.

Searches run over ProductSearchDocument, one denormalised row per product built by search.documents.
"""

import re
from collections.abc import Callable, Iterable

from django.contrib.postgres.search import SearchQuery as TsQuery
from django.contrib.postgres.search import SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connections, transaction
from django.db.models import BooleanField, Count, F, Func, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from oscar.core.loading import get_model

from search.backends.base import (
    FACET_CATEGORY,
    FACET_HALAL,
    FACET_IN_STOCK,
    FACET_KABUPATEN,
    FACET_PRICE,
    FACET_SECTOR,
    FACET_SELLER,
    PRICE_BUCKETS,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RATING,
    SearchQuery,
    SearchResult,
    price_bucket_label,
)
from search.documents import build_documents, document_product_ids
from search.models import ProductSearchCategory, ProductSearchDocument, SearchSynonym, parse_terms
from sellers.models import Sector, Seller, SellerStatus

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

TS_CONFIG = "indonesian"
WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_TERMS = 10
AUTOCOMPLETE_TYPO_SIMILARITY = 0.7
DOCUMENT_FIELDS = [
    "slug",
    "title",
    "description",
    "category_text",
    "seller_id",
    "seller_name",
    "seller_slug",
    "province_code",
    "kabupaten_code",
    "kabupaten_name",
    "kecamatan_code",
    "sector",
    "price",
    "in_stock",
    "halal",
    "pirt",
    "bpom",
    "rating",
    "units_sold",
    "date_added",
    "searchable",
]


class TrigramWordMatch(Func):
    """`text <% column`: pg_trgm word similarity above the threshold, answered by the trigram GIN index."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def query_terms(text: str) -> list[str]:
    return [word.lower() for word in WORD_RE.findall(text)][:MAX_QUERY_TERMS]


def synonym_alternatives(terms: list[str]) -> list[list[str]]:
    """For each term, the term and its synonyms (phrases allowed). Read at query time: edits apply at once."""
    if not terms:
        return []
    groups = [parse_terms(row) for row in SearchSynonym.objects.values_list("terms", flat=True)]
    alternatives = []
    for term in terms:
        options = [term]
        for group in groups:
            if term in group:
                options += [word for word in group if word not in options]
        alternatives.append(options)
    return alternatives


class DatabaseBackend:
    name = "database"

    def __init__(self, using: str = "default"):
        self.using = using

    @property
    def is_postgresql(self) -> bool:
        return connections[self.using].vendor == "postgresql"

    def ping(self) -> bool:
        try:
            with connections[self.using].cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:
            return False

    # Searching

    def search(self, query: SearchQuery) -> SearchResult:
        documents = ProductSearchDocument.objects.using(self.using).filter(searchable=True)
        if query.seller_slug:
            documents = documents.filter(seller_slug=query.seller_slug)
        documents, rank = self._match(documents, query.text)
        filters = self._filters(query)
        matches = documents.filter(*filters.values())

        total = matches.count()
        page_ids: list[int] = []
        if total > query.offset:
            ordered = matches.annotate(rank=rank) if rank is not None else matches
            ordered = ordered.order_by(*self._ordering(query, has_rank=rank is not None))
            page_ids = list(ordered.values_list("pk", flat=True)[query.offset : query.offset + query.page_size])

        facets = {}
        for facet in (FACET_CATEGORY, FACET_SELLER, FACET_KABUPATEN, FACET_SECTOR, FACET_PRICE):
            facets[facet] = self._facet(facet, documents.filter(*[q for f, q in filters.items() if f != facet]))
        for facet, label in ((FACET_HALAL, _label_halal), (FACET_IN_STOCK, _label_in_stock)):
            count = documents.filter(*[q for f, q in filters.items() if f != facet]).filter(**{facet: True}).count()
            facets[facet] = [("true", label(), count)] if count else []
        return SearchResult(product_ids=page_ids, total=total, facets=facets)

    def _match(self, documents: QuerySet, text: str):
        """Narrow documents to the text; return them with a rank expression (None when there is no text)."""
        terms = query_terms(text)
        if not terms:
            return documents, None
        alternatives = synonym_alternatives(terms)
        if not self.is_postgresql:
            for options in alternatives:
                term_q = Q()
                for option in options:
                    for field in ("title", "category_text", "seller_name", "description"):
                        term_q |= Q(**{f"{field}__icontains": option})
                documents = documents.filter(term_q)
            return documents, None

        tsquery = None
        for options in alternatives:
            either = None
            for option in options:
                part = TsQuery(option, config=TS_CONFIG, search_type="plain")
                either = part if either is None else either | part
            tsquery = either if tsquery is None else tsquery & either
        phrase = " ".join(terms)
        documents = documents.filter(Q(search_vector=tsquery) | TrigramWordMatch(Value(phrase), F("title")))
        # Words together as typed (a phrase) outrank the same words apart; a title typo still ranks.
        phrase_query = TsQuery(phrase, config=TS_CONFIG, search_type="phrase")
        rank = (
            Coalesce(SearchRank(F("search_vector"), tsquery), Value(0.0))
            + Value(2.0) * Coalesce(SearchRank(F("search_vector"), phrase_query), Value(0.0))
            + Value(0.5) * TrigramWordSimilarity(Value(phrase), F("title"))
        )
        return documents, rank

    def _filters(self, query: SearchQuery) -> dict[str, Q]:
        filters: dict[str, Q] = {}
        if query.category_ids:
            in_category = ProductSearchCategory.objects.filter(category_id__in=query.category_ids)
            filters[FACET_CATEGORY] = Q(pk__in=in_category.values("document_id"))
        if query.seller_slugs:
            filters[FACET_SELLER] = Q(seller_slug__in=query.seller_slugs)
        if query.kabupaten_codes:
            filters[FACET_KABUPATEN] = Q(kabupaten_code__in=query.kabupaten_codes)
        if query.sectors:
            filters[FACET_SECTOR] = Q(sector__in=query.sectors)
        if query.price_min is not None or query.price_max is not None:
            price = Q()
            if query.price_min is not None:
                price &= Q(price__gte=query.price_min)
            if query.price_max is not None:
                price &= Q(price__lt=query.price_max)
            filters[FACET_PRICE] = price
        if query.halal is not None:
            filters[FACET_HALAL] = Q(halal=query.halal)
        if query.in_stock is not None:
            filters[FACET_IN_STOCK] = Q(in_stock=query.in_stock)
        return filters

    def _ordering(self, query: SearchQuery, *, has_rank: bool) -> list:
        # Sold-out products go last whatever the sort: shoppers cannot buy them.
        first = [F("in_stock").desc()]
        by_sort = {
            SORT_PRICE_ASC: [F("price").asc(nulls_last=True)],
            SORT_PRICE_DESC: [F("price").desc(nulls_last=True)],
            SORT_NEWEST: [F("date_added").desc()],
            SORT_BEST_SELLING: [F("units_sold").desc(), F("date_added").desc()],
            SORT_RATING: [F("rating").desc(), F("units_sold").desc()],
        }
        if query.sort in by_sort:
            rest = by_sort[query.sort]
        elif has_rank:
            rest = [F("rank").desc(), F("units_sold").desc()]
        else:
            rest = [F("date_added").desc()]
        return [*first, *rest, F("pk").desc()]

    def _facet(self, facet: str, documents: QuerySet) -> list[tuple[str, str, int]]:
        if facet == FACET_CATEGORY:
            rows = (
                ProductSearchCategory.objects.using(self.using)
                .filter(document_id__in=documents.values("pk"))
                .values("category_id", "category__name")
                .annotate(n=Count("document_id"))
                .order_by("-n", "category__name")
            )
            return [(str(row["category_id"]), row["category__name"], row["n"]) for row in rows]
        if facet == FACET_PRICE:
            counts = documents.aggregate(
                **{
                    f"b{index}": Count("pk", filter=_price_q(lower, upper))
                    for index, (_value, lower, upper) in enumerate(PRICE_BUCKETS)
                }
            )
            return [
                (value, price_bucket_label(value), counts[f"b{index}"])
                for index, (value, _lower, _upper) in enumerate(PRICE_BUCKETS)
                if counts[f"b{index}"]
            ]
        value_field, label_field = {
            FACET_SELLER: ("seller_slug", "seller_name"),
            FACET_KABUPATEN: ("kabupaten_code", "kabupaten_name"),
            FACET_SECTOR: ("sector", "sector"),
        }[facet]
        rows = documents.exclude(**{value_field: ""}).values(value_field, label_field).annotate(n=Count("pk"))
        result = [(row[value_field], row[label_field], row["n"]) for row in rows.order_by("-n", label_field)]
        if facet == FACET_SECTOR:
            labels = dict(Sector.choices)
            result = [(value, str(labels.get(value, value)), n) for value, _label, n in result]
        return result

    # Autocomplete

    def autocomplete(self, text: str, limit: int = 8) -> dict[str, list[dict]]:
        text = " ".join(query_terms(text))
        if not text:
            return {"products": [], "pesantren": [], "categories": []}
        documents = ProductSearchDocument.objects.using(self.using).filter(searchable=True)
        if self.is_postgresql:
            # A substring match, or a close typo: "keru" must not suggest "keripik" (word similarity 0.6).
            documents = (
                documents.annotate(similarity=TrigramWordSimilarity(Value(text), F("title")))
                .filter(
                    Q(title__icontains=text)
                    | (Q(TrigramWordMatch(Value(text), F("title"))) & Q(similarity__gte=AUTOCOMPLETE_TYPO_SIMILARITY))
                )
                .order_by("-in_stock", "-similarity", "-units_sold", "pk")
            )
        else:
            documents = documents.filter(title__icontains=text).order_by("-in_stock", "-units_sold", "pk")
        products = [
            {
                "id": doc["pk"],
                "title": doc["title"],
                "seller_name": doc["seller_name"],
                "url": reverse("catalogue:detail", kwargs={"product_slug": doc["slug"] or "-", "pk": doc["pk"]}),
            }
            for doc in documents.values("pk", "title", "slug", "seller_name")[:limit]
        ]
        sellers = Seller.objects.filter(status=SellerStatus.VERIFIED, name__icontains=text).select_related("kabupaten")
        pesantren = [
            {
                "slug": seller.slug,
                "name": seller.name,
                "kabupaten": seller.kabupaten.name,
                "url": seller.get_absolute_url(),
            }
            for seller in sellers.order_by("name")[:limit]
        ]
        categories = [
            {"id": category.pk, "name": category.name, "url": category.get_absolute_url()}
            for category in Category.objects.filter(is_public=True, name__icontains=text).order_by("depth", "name")[
                :limit
            ]
        ]
        return {"products": products, "pesantren": pesantren, "categories": categories}

    # Indexing

    def index_products(self, product_ids: Iterable[int]) -> int:
        owner_ids, gone = document_product_ids(product_ids)
        documents = build_documents(owner_ids)
        with transaction.atomic(using=self.using):
            if gone:
                ProductSearchDocument.objects.using(self.using).filter(product_id__in=gone).delete()
            if not documents:
                return 0
            rows = [_row(document) for document in documents]
            ProductSearchDocument.objects.using(self.using).bulk_create(
                rows, update_conflicts=True, unique_fields=["product"], update_fields=[*DOCUMENT_FIELDS, "indexed_at"]
            )
            ids = [document["id"] for document in documents]
            ProductSearchCategory.objects.using(self.using).filter(document_id__in=ids).delete()
            ProductSearchCategory.objects.using(self.using).bulk_create(
                [
                    ProductSearchCategory(document_id=document["id"], category_id=category_id)
                    for document in documents
                    for category_id in document["category_ids"]
                ]
            )
            if self.is_postgresql:
                ProductSearchDocument.objects.using(self.using).filter(pk__in=ids).update(
                    search_vector=SearchVector("title", weight="A", config=TS_CONFIG)
                    + SearchVector("category_text", weight="B", config=TS_CONFIG)
                    + SearchVector("seller_name", weight="B", config=TS_CONFIG)
                    + SearchVector("description", weight="C", config=TS_CONFIG)
                )
        return len(documents)

    def rebuild(self, *, batch_size: int = 1000, progress: Callable[[int], None] | None = None) -> int:
        """Re-index every product into the same table, one batch of ids at a time (keyset paging)."""
        indexed = 0
        last_id = 0
        products = Product.objects.using(self.using).filter(parent__isnull=True).order_by("pk")
        while True:
            ids = list(products.filter(pk__gt=last_id).values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            indexed += self.index_products(ids)
            last_id = ids[-1]
            if progress is not None:
                progress(len(ids))
        # Products that became variants are indexed through their parent.
        ProductSearchDocument.objects.using(self.using).filter(product__parent__isnull=False).delete()
        return indexed


def _price_q(lower, upper) -> Q:
    q = Q()
    if lower is not None:
        q &= Q(price__gte=lower)
    if upper is not None:
        q &= Q(price__lt=upper)
    return q


def _label_halal() -> str:
    from django.utils.translation import gettext

    return gettext("Halal certified")


def _label_in_stock() -> str:
    from django.utils.translation import gettext

    return gettext("In stock")


def _row(document: dict) -> ProductSearchDocument:
    return ProductSearchDocument(
        product_id=document["id"],
        slug=document["slug"],
        title=document["title"][:255],
        description=document["description"],
        category_text=" ".join(document["category_names"]),
        seller_id=document["seller_id"],
        seller_name=document["seller_name"],
        seller_slug=document["seller_slug"],
        province_code=document["province_code"] or "",
        kabupaten_code=document["kabupaten_code"] or "",
        kabupaten_name=document["kabupaten_name"],
        kecamatan_code=document["kecamatan_code"] or "",
        sector=document["sector"],
        price=document["price"],
        in_stock=document["in_stock"],
        halal=document["halal"],
        pirt=document["pirt"],
        bpom=document["bpom"],
        rating=document["rating"],
        units_sold=document["units_sold"],
        date_added=document["date_added"],
        searchable=document["searchable"],
    )
