"""Request bodies for product search and autocomplete, built with elasticsearch-dsl.

Facet filters go into `post_filter`, so the hits honour every selected filter while each facet's
aggregation is wrapped in a `filter` aggregation holding all the *other* facet filters: a shopper
who ticked "Kab. Bandung" still sees how many products the other kabupaten have. The text query
and the storefront scope stay in `query`, because every count must respect them.
"""

from elasticsearch.dsl import A, MultiSearch, Q, Search

from search.backends.base import (
    FACET_CATEGORY,
    FACET_HALAL,
    FACET_IN_STOCK,
    FACET_KABUPATEN,
    FACET_PRICE,
    FACET_SECTOR,
    FACET_SELLER,
    FACET_STARS,
    FACETS,
    PRICE_BUCKETS,
    SORT_BEST_SELLING,
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SORT_RATING,
    SORT_RELEVANCE,
    STAR_LEVELS,
    SearchQuery,
)
from search.vocabulary import FUZZINESS

# Weights of the text fields: a title hit outranks a pesantren or category hit, which outranks
# the catch-all field (descriptions live only there). The `.plain` twins are unstemmed, which is
# where fuzziness finds misspelt words (see search/es/analysis.py).
TEXT_FIELDS = ["title^3", "title.plain^2", "seller.name^2", "category_names^2", "all_text", "all_text.plain"]
PHRASE_BOOST = 4
FACET_SIZE = 50

# Sold-out products always rank after available ones, whatever the chosen order.
IN_STOCK_FIRST = {"in_stock": {"order": "desc"}}
TIEBREAK = {"id": {"order": "desc"}}
SORT_ORDERS = {
    SORT_PRICE_ASC: [{"price": {"order": "asc", "missing": "_last"}}],
    SORT_PRICE_DESC: [{"price": {"order": "desc", "missing": "_last"}}],
    SORT_NEWEST: [{"date_added": {"order": "desc"}}],
    SORT_BEST_SELLING: [{"units_sold": {"order": "desc"}}, {"rating": {"order": "desc"}}],
    SORT_RATING: [{"rating": {"order": "desc"}}, {"units_sold": {"order": "desc"}}],
}


def text_query(text: str) -> Q:
    """Typo-tolerant match of every word, plus a bonus when the words appear as a phrase in the title.

    `best_fields` with operator AND checks each field on its own; `all_text` (a copy of title,
    description, pesantren and category names) lets "kerudung al-hikmah" match across fields, while
    a title that holds every word on its own scores three times higher.
    """
    return Q(
        "bool",
        must=[
            Q(
                "multi_match",
                query=text,
                fields=TEXT_FIELDS,
                type="best_fields",
                operator="and",
                # The vocabulary's edit limits (search.vocabulary), so both backends forgive the same typos.
                fuzziness=FUZZINESS,
                # A typo in the first letter is rare and would multiply the terms to expand.
                prefix_length=1,
                tie_breaker=0.3,
            )
        ],
        should=[Q("match_phrase", title={"query": text, "slop": 1, "boost": PHRASE_BOOST})],
    )


def facet_filters(query: SearchQuery) -> dict[str, Q]:
    """One filter per facet the shopper narrowed; values within a facet are ORed."""
    filters: dict[str, Q] = {}
    if query.category_ids:
        filters[FACET_CATEGORY] = Q("terms", category_ids=list(query.category_ids))
    if query.seller_slugs:
        filters[FACET_SELLER] = Q("terms", **{"seller.slug": list(query.seller_slugs)})
    if query.kabupaten_codes:
        filters[FACET_KABUPATEN] = Q("terms", kabupaten_code=list(query.kabupaten_codes))
    if query.sectors:
        filters[FACET_SECTOR] = Q("terms", sector=list(query.sectors))
    if query.price_min is not None or query.price_max is not None:
        bounds = {}
        if query.price_min is not None:
            bounds["gte"] = float(query.price_min)
        if query.price_max is not None:
            bounds["lt"] = float(query.price_max)
        filters[FACET_PRICE] = Q("range", price=bounds)
    if query.halal is not None:
        filters[FACET_HALAL] = Q("term", halal=query.halal)
    if query.in_stock is not None:
        filters[FACET_IN_STOCK] = Q("term", in_stock=query.in_stock)
    if query.stars_min is not None:
        filters[FACET_STARS] = stars_filter(query.stars_min)
    return filters


def stars_filter(level: int) -> Q:
    """At least `level` curation stars, still valid today (their last valid day is today or later)."""
    return Q(
        "bool",
        filter=[Q("range", curation_stars={"gte": level}), Q("range", curation_stars_until={"gte": "now/d"})],
    )


def _facet_bucket_agg(facet: str) -> A:
    if facet == FACET_CATEGORY:
        return A("terms", field="category_ids", size=FACET_SIZE)
    if facet == FACET_SELLER:
        # The name rides along as a one-bucket sub-aggregation, so labels need no database query.
        return A(
            "terms", field="seller.slug", size=FACET_SIZE, aggs={"label": A("terms", field="seller.name.raw", size=1)}
        )
    if facet == FACET_KABUPATEN:
        return A(
            "terms", field="kabupaten_code", size=FACET_SIZE, aggs={"label": A("terms", field="kabupaten_name", size=1)}
        )
    if facet == FACET_SECTOR:
        return A("terms", field="sector", size=FACET_SIZE)
    if facet == FACET_PRICE:
        ranges = []
        for key, low, high in PRICE_BUCKETS:
            bucket = {"key": key}
            if low is not None:
                bucket["from"] = float(low)
            if high is not None:
                bucket["to"] = float(high)
            ranges.append(bucket)
        return A("range", field="price", keyed=True, ranges=ranges)
    if facet in (FACET_HALAL, FACET_IN_STOCK):
        return A("terms", field=facet, size=2)
    if facet == FACET_STARS:
        return A("filters", filters={str(level): stars_filter(level) for level in STAR_LEVELS})
    raise ValueError(f"Unknown facet {facet!r}")


def product_search(query: SearchQuery, *, index: str) -> Search:
    """The search request for one results page with its facet counts."""
    search = Search(index=index).extra(track_total_hits=True).source(False)
    scope = []
    if query.seller_slug:
        scope.append(Q("term", **{"seller.slug": query.seller_slug}))
    if query.text:
        search = search.query(Q("bool", must=[text_query(query.text)], filter=scope))
    elif scope:
        search = search.query(Q("bool", filter=scope))

    filters = facet_filters(query)
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    for facet in FACETS:
        others = [clause for name, clause in filters.items() if name != facet]
        scope_filter = Q("bool", filter=others) if others else Q("match_all")
        search.aggs.bucket(facet, "filter", scope_filter).bucket("values", _facet_bucket_agg(facet))

    search = search.sort(*sort_clauses(query))
    return search[query.offset : query.offset + query.page_size]


def sort_clauses(query: SearchQuery) -> list:
    if query.sort == SORT_RELEVANCE:
        # Without text every score is equal, so browsing shows the newest first.
        chosen = [{"_score": {"order": "desc"}}] if query.text else []
        chosen += SORT_ORDERS[SORT_NEWEST]
    else:
        chosen = SORT_ORDERS[query.sort]
    return [IN_STOCK_FIRST, *chosen, TIEBREAK]


def autocomplete_search(text: str, *, index: str, limit: int) -> MultiSearch:
    """Products, pesantren and categories whose names start with what was typed, in one round trip.

    Each uses a `bool_prefix` multi_match over a search_as_you_type field and its shingles, so
    "kerupuk ik" matches "Kerupuk Ikan". Pesantren and categories come back as terms buckets of the
    matching products: only pesantren and categories with something searchable for sale appear.
    """

    def prefix(field: str) -> Q:
        return Q(
            "multi_match",
            query=text,
            type="bool_prefix",
            fields=[field, f"{field}._2gram", f"{field}._3gram"],
            operator="and",
        )

    products = Search(index=index).query(prefix("title.suggest")).source(["title", "url", "seller.name"])[:limit]
    products = products.sort({"_score": {"order": "desc"}}, IN_STOCK_FIRST, {"units_sold": {"order": "desc"}})

    pesantren = Search(index=index).query(prefix("seller.name.suggest")).extra(size=0)
    pesantren.aggs.bucket("values", "terms", field="seller.slug", size=limit).bucket(
        "label", "top_hits", size=1, _source=["seller.name", "seller.url", "kabupaten_name"]
    )

    categories = Search(index=index).query(prefix("category_names.suggest")).extra(size=0)
    # Ancestors ride along in category_ids, so ask for more buckets than needed and keep, in the
    # backend, those whose own name matches.
    categories.aggs.bucket("values", "terms", field="category_ids", size=limit * 4)

    return MultiSearch(index=index).add(products).add(pesantren).add(categories)
