"""Search over the database: PostgreSQL full-text search (`indonesian` + pg_trgm), or a plain SQLite fallback.

Searches run over ProductSearchDocument, one denormalised row per product built by search.documents.
"""

from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery as TsQuery
from django.contrib.postgres.search import SearchRank, SearchVector, TrigramWordSimilarity
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from oscar.core.loading import get_model

from search.backends.base import (
    FACET_CATEGORY,
    FACET_HALAL,
    FACET_IN_STOCK,
    FACET_KABUPATEN,
    FACET_PRICE,
    FACET_SECTOR,
    FACET_SELLER,
    FACET_STARS,
    PRICE_BUCKETS,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RATING,
    STAR_LEVELS,
    SearchQuery,
    SearchResult,
    price_bucket_label,
    stars_label,
)
from search.documents import build_documents, document_product_ids
from search.models import ProductSearchCategory, ProductSearchDocument, SearchTerm
from search.vocabulary import (
    SpellingCheck,
    check_spelling,
    forgive_typos,
    query_terms,
    synonym_alternatives,
    vocabulary_recount,
    vocabulary_update,
)
from sellers.models import Sector, Seller, SellerStatus

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

TS_CONFIG = "indonesian"
AUTOCOMPLETE_TYPO_SIMILARITY = 0.7
BROWSE_CACHE_SECONDS = 60
# The title's words, as indexed by search_doc_title_words (search/models.py): the expression must match.
TITLE_WORDS = SearchVector("title", config="simple")
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
    "curation_stars",
    "curation_stars_until",
    "date_added",
    "searchable",
]


def _valid_stars() -> Case:
    """The document's curation stars if still valid today, else 0: expired stars stop counting."""
    return Case(
        When(curation_stars_until__gte=timezone.localdate(), then=F("curation_stars")),
        default=Value(0),
        output_field=IntegerField(),
    )


def _stars_q(level: int) -> Q:
    return Q(curation_stars__gte=level, curation_stars_until__gte=timezone.localdate())


class TrigramWordMatch(Func):
    """`text <% column`: pg_trgm word similarity above the threshold, answered by the trigram GIN index."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class ILike(Func):
    """`column ILIKE pattern`: the trigram GIN index answers it, not Django's icontains (UPPER(…) LIKE …)."""

    arg_joiner = " ILIKE "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
        """The page; a misspelt word also matches its correction, and the result carries the suggestion."""
        spelling = self._check_spelling(query.text)
        result = self._search(query, spelling)
        return forgive_typos(query, result, spelling, lambda again: self._search(again, None))

    def _check_spelling(self, text: str) -> SpellingCheck | None:
        return check_spelling(text, using=self.using) if query_terms(text) else None

    def _search(self, query: SearchQuery, spelling: SpellingCheck | None) -> SearchResult:
        documents = ProductSearchDocument.objects.using(self.using).filter(searchable=True)
        if query.seller_slug:
            documents = documents.filter(seller_slug=query.seller_slug)
        documents, rank = self._match(documents, query.text, spelling)
        filters = self._filters(query)
        if not self.is_postgresql:
            return self._search_portable(query, documents, rank, filters)
        if rank is None and not filters:
            return self._browse(query, documents)
        return self._search_in_one_pass(query, documents, rank, filters)

    def _browse(self, query: SearchQuery, documents: QuerySet) -> SearchResult:
        """The unfiltered catalogue: its page from the browse index, its total and facets from the cache.

        Counting and faceting every searchable row is the one expensive part of /catalogue/, and its
        figures are the same for every visitor until the index changes. The cache key carries a
        fingerprint of the index (newest indexed_at and row count), so a reindex or deletion starts
        afresh at once; the TTL bounds the rest.
        """
        # In one statement, two cheap index-only scans: the newest write, and the searchable rows (which a
        # deletion changes).
        newest_write = (
            ProductSearchDocument.objects.using(self.using).order_by().values(newest=Func("indexed_at", function="MAX"))
        )
        fingerprint = documents.order_by().aggregate(rows=Count("pk"), newest=Max(Subquery(newest_write)))
        newest, rows = fingerprint["newest"], fingerprint["rows"]
        database = connections[self.using].settings_dict["NAME"]
        key = f"search:db:browse:{database}:{query.seller_slug or '*'}:{newest.isoformat() if newest else '-'}:{rows}"
        summary = cache.get(key)
        if summary is None:
            everything = replace(query, page=1, page_size=1)
            result = self._search_in_one_pass(everything, documents, None, {})
            summary = {"total": result.total, "facets": result.facets, "language": get_language()}
            cache.set(key, summary, BROWSE_CACHE_SECONDS)
        total, facets = summary["total"], summary["facets"]
        if summary["language"] != get_language():
            facets = self._relabel(facets)
        page_ids: list[int] = []
        if total > query.offset:
            ordered = documents.order_by(*self._ordering(query, has_rank=False))
            page_ids = list(ordered.values_list("pk", flat=True)[query.offset : query.offset + query.page_size])
        return SearchResult(product_ids=page_ids, total=total, facets=facets)

    def _relabel(self, facets: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[tuple[str, str, int]]]:
        """Translated facet labels in the active language (the cached ones may be another visitor's)."""
        sectors = dict(Sector.choices)
        facets = dict(facets)
        facets[FACET_SECTOR] = [(value, str(sectors.get(value, value)), n) for value, _label, n in facets[FACET_SECTOR]]
        facets[FACET_PRICE] = [(value, price_bucket_label(value), n) for value, _label, n in facets[FACET_PRICE]]
        facets[FACET_HALAL] = [(value, _label_halal(), n) for value, _label, n in facets[FACET_HALAL]]
        facets[FACET_IN_STOCK] = [(value, _label_in_stock(), n) for value, _label, n in facets[FACET_IN_STOCK]]
        facets[FACET_STARS] = [(value, stars_label(value), n) for value, _label, n in facets.get(FACET_STARS, [])]
        return facets

    def _search_in_one_pass(self, query: SearchQuery, documents: QuerySet, rank, filters: dict[str, Q]) -> SearchResult:
        """The page, the total and every facet from ONE statement over the text matches.

        The matches (with a flag per selected filter) are materialised once in a CTE; each facet
        then counts the rows passing every filter but its own. Matching the text is the expensive
        part, so it must not be repeated per facet.
        """
        flags = {facet: f"fl_{facet}" for facet in filters}
        annotations = {flags[facet]: ExpressionWrapper(q, output_field=BooleanField()) for facet, q in filters.items()}
        annotations["stars_now"] = _valid_stars()
        if rank is not None:
            annotations["rank"] = rank
        inner = documents.annotate(**annotations).values(
            "pk",
            "seller_slug",
            "seller_name",
            "kabupaten_code",
            "kabupaten_name",
            "sector",
            "price",
            "in_stock",
            "halal",
            "rating",
            "units_sold",
            "date_added",
            *annotations,
        )
        try:
            inner_sql, inner_params = inner.query.sql_with_params()
        except EmptyResultSet:
            return SearchResult(product_ids=[], total=0, facets={})

        def passing(*, but: str | None = None) -> str:
            conditions = [f"m.{flag}" for facet, flag in flags.items() if facet != but]
            return " AND ".join(conditions) or "TRUE"

        # Rows failing two filters or more count nowhere: drop them before aggregating.
        failures = " + ".join(f"(NOT COALESCE(d.{flag}, FALSE))::int" for flag in flags.values()) or "0"
        params: list = list(inner_params)
        scalars = [("total", passing()), ("halal", f"{passing(but=FACET_HALAL)} AND m.halal")]
        scalars.append(("in_stock", f"{passing(but=FACET_IN_STOCK)} AND m.in_stock"))
        for index, (_value, lower, upper) in enumerate(PRICE_BUCKETS):
            bucket = [passing(but=FACET_PRICE)]
            if lower is not None:
                bucket.append(f"m.price >= {_decimal_literal(lower)}")
            if upper is not None:
                bucket.append(f"m.price < {_decimal_literal(upper)}")
            scalars.append((f"price{index}", " AND ".join(bucket)))
        for level in STAR_LEVELS:
            # Levels are our own integer constants, never user input.
            scalars.append((f"stars{level}", f"{passing(but=FACET_STARS)} AND m.stars_now >= {int(level)}"))
        scalar_columns = ", ".join(f"count(*) FILTER (WHERE {condition}) AS {name}" for name, condition in scalars)
        scalar_values = ", ".join(f"('{name}', s.{name})" for name, _condition in scalars)
        grouped = []
        for facet, value, label in (
            (FACET_SELLER, "seller_slug", "seller_name"),
            (FACET_KABUPATEN, "kabupaten_code", "kabupaten_name"),
            (FACET_SECTOR, "sector", "sector"),
        ):
            grouped.append(
                f"SELECT '{facet}', m.{value}::text, m.{label}::text, count(*), NULL::int[] FROM m "
                f"WHERE {passing(but=facet)} AND m.{value} <> '' GROUP BY m.{value}, m.{label}"
            )
        category_table = ProductSearchCategory._meta.db_table
        grouped.append(
            f"SELECT '{FACET_CATEGORY}', c.category_id::text, cat.name::text, count(*), NULL::int[] FROM m "
            f"JOIN {category_table} c ON c.document_id = m.pk "
            f"JOIN {Category._meta.db_table} cat ON cat.id = c.category_id "
            f"WHERE {passing(but=FACET_CATEGORY)} GROUP BY c.category_id, cat.name"
        )
        sql = (
            f"WITH d AS ({inner_sql}), "
            f"m AS MATERIALIZED (SELECT * FROM d WHERE {failures} <= 1) "
            f"SELECT v.kind, NULL::text, NULL::text, v.n, NULL::int[] "
            f"FROM (SELECT {scalar_columns} FROM m) s CROSS JOIN LATERAL (VALUES {scalar_values}) v(kind, n) "
            + "".join(f"UNION ALL {part} " for part in grouped)
            + f"UNION ALL SELECT 'page', NULL, NULL, NULL, ARRAY(SELECT m.pk FROM m WHERE {passing()} "
            f"ORDER BY {self._sql_ordering(query, has_rank=rank is not None)} LIMIT %s OFFSET %s)"
        )
        params += [query.page_size, query.offset]
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()

        numbers: dict[str, int] = {}
        groups: dict[str, list[tuple[str, str, int]]] = {}
        page_ids: list[int] = []
        for kind, value, label, n, ids in rows:
            if kind == "page":
                page_ids = list(ids or [])
            elif value is None:
                numbers[kind] = n
            else:
                groups.setdefault(kind, []).append((value, label, n))
        facets: dict[str, list[tuple[str, str, int]]] = {}
        for facet in (FACET_CATEGORY, FACET_SELLER, FACET_KABUPATEN, FACET_SECTOR):
            facets[facet] = sorted(groups.get(facet, []), key=lambda row: (-row[2], row[1], row[0]))
        labels = dict(Sector.choices)
        facets[FACET_SECTOR] = [(value, str(labels.get(value, value)), n) for value, _label, n in facets[FACET_SECTOR]]
        facets[FACET_PRICE] = [
            (value, price_bucket_label(value), numbers[f"price{index}"])
            for index, (value, _lower, _upper) in enumerate(PRICE_BUCKETS)
            if numbers[f"price{index}"]
        ]
        for facet, label in ((FACET_HALAL, _label_halal), (FACET_IN_STOCK, _label_in_stock)):
            facets[facet] = [("true", label(), numbers[facet])] if numbers[facet] else []
        facets[FACET_STARS] = [
            (str(level), stars_label(str(level)), numbers[f"stars{level}"])
            for level in STAR_LEVELS
            if numbers[f"stars{level}"]
        ]
        return SearchResult(product_ids=page_ids, total=numbers["total"], facets=facets)

    def _sql_ordering(self, query: SearchQuery, *, has_rank: bool) -> str:
        """_ordering() over the CTE's columns."""
        by_sort = {
            SORT_PRICE_ASC: "m.price ASC NULLS LAST",
            SORT_PRICE_DESC: "m.price DESC NULLS LAST",
            SORT_NEWEST: "m.date_added DESC",
            SORT_BEST_SELLING: "m.units_sold DESC, m.date_added DESC",
            SORT_RATING: "m.rating DESC, m.units_sold DESC",
        }
        if query.sort in by_sort:
            rest = by_sort[query.sort]
        elif has_rank:
            rest = "m.rank DESC, m.units_sold DESC"
        else:
            rest = "m.date_added DESC"
        return f"m.in_stock DESC, {rest}, m.pk DESC"

    def _search_portable(self, query: SearchQuery, documents: QuerySet, rank, filters: dict[str, Q]) -> SearchResult:
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
        others = documents.filter(*[q for f, q in filters.items() if f != FACET_STARS])
        counts = others.aggregate(**{f"s{level}": Count("pk", filter=_stars_q(level)) for level in STAR_LEVELS})
        facets[FACET_STARS] = [
            (str(level), stars_label(str(level)), counts[f"s{level}"]) for level in STAR_LEVELS if counts[f"s{level}"]
        ]
        return SearchResult(product_ids=page_ids, total=total, facets=facets)

    def _match(self, documents: QuerySet, text: str, spelling: SpellingCheck | None = None):
        """Narrow documents to the text; return them with a rank expression (None when there is no text).

        Each word matches any of its synonyms and, when the vocabulary does not know it, its
        correction ("kerudng" also matches "kerudung"), on SQLite as on PostgreSQL.
        """
        terms = query_terms(text)
        if not terms:
            return documents, None
        alternatives = spelling.expanded_alternatives() if spelling is not None else synonym_alternatives(terms)
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
        if query.stars_min is not None:
            filters[FACET_STARS] = _stars_q(query.stars_min)
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
        products = self._autocomplete_products(text, limit)
        if not products:
            # A finished but misspelt word ("kerudng"): suggest the products of its correction.
            suggestion = check_spelling(text, using=self.using).suggestion
            if suggestion:
                products = self._autocomplete_products(suggestion, limit)
        products = [
            {
                "id": doc["pk"],
                "title": doc["title"],
                "seller_name": doc["seller_name"],
                "url": reverse("catalogue:detail", kwargs={"product_slug": doc["slug"] or "-", "pk": doc["pk"]}),
            }
            for doc in products
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

    def _autocomplete_products(self, text: str, limit: int) -> list[dict]:
        if self.is_postgresql:
            return self._autocomplete_products_postgresql(text, limit)
        documents = ProductSearchDocument.objects.using(self.using).filter(searchable=True)
        products = documents.filter(title__icontains=text).order_by("-in_stock", "-units_sold", "pk")
        return list(products.values("pk", "title", "slug", "seller_name")[:limit])

    def _autocomplete_products_postgresql(self, text: str, limit: int) -> list[dict]:
        """Titles with words starting with what was typed first, the popular ones first; then substrings and typos.

        Ranking every trigram candidate of a short prefix by similarity reads thousands of rows ("ker"
        matches a fifth of the catalogue), so the common case is a prefix tsquery on an indexed
        `simple` vector of the title, ordered like the partial popularity index.
        """
        documents = ProductSearchDocument.objects.using(self.using).filter(searchable=True)
        fields = ("pk", "title", "slug", "seller_name")
        prefix = TsQuery(" & ".join(f"{term}:*" for term in text.split()), config="simple", search_type="raw")
        found = list(
            documents.annotate(title_words=TITLE_WORDS)
            .filter(title_words=prefix)
            .order_by("-in_stock", "-units_sold", "-pk")
            .values(*fields)[:limit]
        )
        if len(found) == limit:
            return found
        # A substring inside a word, or a close typo: "keru" must not suggest "keripik" (word similarity 0.6).
        others = (
            documents.exclude(pk__in=[doc["pk"] for doc in found])
            .annotate(similarity=TrigramWordSimilarity(Value(text), F("title")))
            .filter(
                Q(ILike(F("title"), Value(f"%{_escape_like(text)}%")))
                | (Q(TrigramWordMatch(Value(text), F("title"))) & Q(similarity__gte=AUTOCOMPLETE_TYPO_SIMILARITY))
            )
            .order_by("-in_stock", "-similarity", "-units_sold", "pk")
            .values(*fields)[: limit - len(found)]
        )
        return found + list(others)

    # Indexing

    def index_products(self, product_ids: Iterable[int]) -> int:
        owner_ids, gone = document_product_ids(product_ids)
        documents = build_documents(owner_ids)
        with transaction.atomic(using=self.using):
            vocabulary_update(documents, gone, using=self.using)
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
        vocabulary_recount(using=self.using)
        if self.is_postgresql:
            self._refresh_statistics()
        return indexed

    def _refresh_statistics(self) -> None:
        """A rebuild rewrites every row (twice): without fresh statistics the planner misjudges every search
        until autovacuum comes by, and with it switched off, never."""
        connection = connections[self.using]
        tables = [ProductSearchDocument._meta.db_table, ProductSearchCategory._meta.db_table, SearchTerm._meta.db_table]
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {connection.ops.quote_name(table)}")


def _price_q(lower, upper) -> Q:
    q = Q()
    if lower is not None:
        q &= Q(price__gte=lower)
    if upper is not None:
        q &= Q(price__lt=upper)
    return q


def _decimal_literal(value) -> str:
    # Bucket bounds are our own Decimal constants, never user input.
    return f"{Decimal(value):f}"


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
        curation_stars=document.get("curation_stars", 0),
        curation_stars_until=document.get("curation_stars_until"),
        date_added=document["date_added"],
        searchable=document["searchable"],
    )
