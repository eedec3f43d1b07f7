"""Search and autocomplete request bodies, checked through `to_dict()`. No server needed."""

from decimal import Decimal

import pytest

from search.backends.base import FACETS, PRICE_BUCKETS, SearchQuery
from search.es.queries import autocomplete_search, product_search


def body(**query) -> dict:
    return product_search(SearchQuery(**query), index="products").to_dict()


def facet_scope(request_body: dict, facet: str) -> dict:
    return request_body["aggs"][facet]["filter"]


def test_text_is_a_fuzzy_multi_match_with_a_title_phrase_boost():
    request_body = body(text="kerudng segi empat")

    text = request_body["query"]["bool"]["must"][0]["bool"]
    multi_match = text["must"][0]["multi_match"]
    assert multi_match["query"] == "kerudng segi empat"
    assert multi_match["fuzziness"] == "AUTO:3,7"
    assert multi_match["operator"] == "and"
    assert multi_match["fields"] == [
        "title^3",
        "title.plain^2",
        "seller.name^2",
        "category_names^2",
        "all_text",
        "all_text.plain",
    ]
    phrase = text["should"][0]["match_phrase"]["title"]
    assert phrase["query"] == "kerudng segi empat"
    assert phrase["boost"] > 1


def test_browsing_without_text_matches_everything_and_shows_newest_first():
    request_body = body()

    assert "query" not in request_body
    assert request_body["sort"] == [
        {"in_stock": {"order": "desc"}},
        {"date_added": {"order": "desc"}},
        {"id": {"order": "desc"}},
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"category_ids": (3, 7)}, {"terms": {"category_ids": [3, 7]}}),
        ({"seller_slugs": ("al-ikhlas",)}, {"terms": {"seller.slug": ["al-ikhlas"]}}),
        ({"kabupaten_codes": ("32.04", "32.06")}, {"terms": {"kabupaten_code": ["32.04", "32.06"]}}),
        ({"sectors": ("food",)}, {"terms": {"sector": ["food"]}}),
        (
            {"price_min": Decimal("25000"), "price_max": Decimal("50000")},
            {"range": {"price": {"gte": 25000.0, "lt": 50000.0}}},
        ),
        ({"price_min": Decimal("250000")}, {"range": {"price": {"gte": 250000.0}}}),
        ({"halal": True}, {"term": {"halal": True}}),
        ({"in_stock": True}, {"term": {"in_stock": True}}),
        (
            {"stars_min": 3},
            {
                "bool": {
                    "filter": [
                        {"range": {"curation_stars": {"gte": 3}}},
                        {"range": {"curation_stars_until": {"gte": "now/d"}}},
                    ]
                }
            },
        ),
    ],
)
def test_each_facet_filter_narrows_the_hits_in_post_filter(query, expected):
    request_body = body(**query)

    assert request_body["post_filter"] == {"bool": {"filter": [expected]}}
    # Facet filters stay out of the main query, or every facet would count only the chosen values.
    assert "query" not in request_body


def test_each_facet_counts_with_every_filter_but_its_own():
    # given a query narrowed by kabupaten, sector and halal
    request_body = body(text="keripik", kabupaten_codes=("32.04",), sectors=("food",), halal=True)
    kabupaten = {"terms": {"kabupaten_code": ["32.04"]}}
    sector = {"terms": {"sector": ["food"]}}
    halal = {"term": {"halal": True}}

    # then the hits get all three, and each facet the two others
    assert request_body["post_filter"] == {"bool": {"filter": [kabupaten, sector, halal]}}
    assert facet_scope(request_body, "kabupaten") == {"bool": {"filter": [sector, halal]}}
    assert facet_scope(request_body, "sector") == {"bool": {"filter": [kabupaten, halal]}}
    assert facet_scope(request_body, "halal") == {"bool": {"filter": [kabupaten, sector]}}
    for facet in ("category", "seller", "price", "in_stock", "stars"):
        assert facet_scope(request_body, facet) == {"bool": {"filter": [kabupaten, sector, halal]}}


def test_facets_without_filters_count_the_whole_match():
    request_body = body(text="kopi")

    assert set(request_body["aggs"]) == set(FACETS)
    assert all(facet_scope(request_body, facet) == {"match_all": {}} for facet in FACETS)


def test_facet_aggregations_and_their_labels():
    aggs = body()["aggs"]

    assert aggs["category"]["aggs"]["values"] == {"terms": {"field": "category_ids", "size": 50}}
    assert aggs["seller"]["aggs"]["values"]["terms"]["field"] == "seller.slug"
    assert aggs["seller"]["aggs"]["values"]["aggs"]["label"] == {"terms": {"field": "seller.name.raw", "size": 1}}
    assert aggs["kabupaten"]["aggs"]["values"]["aggs"]["label"] == {"terms": {"field": "kabupaten_name", "size": 1}}
    assert aggs["sector"]["aggs"]["values"] == {"terms": {"field": "sector", "size": 50}}
    assert aggs["halal"]["aggs"]["values"] == {"terms": {"field": "halal", "size": 2}}
    assert aggs["in_stock"]["aggs"]["values"] == {"terms": {"field": "in_stock", "size": 2}}
    stars = aggs["stars"]["aggs"]["values"]["filters"]["filters"]
    assert list(stars) == ["5", "4", "3", "2", "1"]
    assert stars["3"] == {
        "bool": {
            "filter": [
                {"range": {"curation_stars": {"gte": 3}}},
                {"range": {"curation_stars_until": {"gte": "now/d"}}},
            ]
        }
    }
    price = aggs["price"]["aggs"]["values"]["range"]
    assert price["keyed"] is True
    assert [bucket["key"] for bucket in price["ranges"]] == [key for key, _low, _high in PRICE_BUCKETS]
    assert price["ranges"][0] == {"key": "0-25000", "to": 25000.0}
    assert price["ranges"][-1] == {"key": "250000-", "from": 250000.0}


@pytest.mark.parametrize(
    "sort, chosen",
    [
        ("relevance", [{"_score": {"order": "desc"}}, {"date_added": {"order": "desc"}}]),
        ("price_asc", [{"price": {"order": "asc", "missing": "_last"}}]),
        ("price_desc", [{"price": {"order": "desc", "missing": "_last"}}]),
        ("newest", [{"date_added": {"order": "desc"}}]),
        ("best_selling", [{"units_sold": {"order": "desc"}}, {"rating": {"order": "desc"}}]),
        ("rating", [{"rating": {"order": "desc"}}, {"units_sold": {"order": "desc"}}]),
    ],
)
def test_every_sort_puts_in_stock_products_first(sort, chosen):
    assert body(text="peci", sort=sort)["sort"] == [{"in_stock": {"order": "desc"}}, *chosen, {"id": {"order": "desc"}}]


def test_pagination_maps_pages_to_from_and_size():
    request_body = body(text="madu", page=3, page_size=20)

    assert (request_body["from"], request_body["size"]) == (40, 20)
    assert request_body["track_total_hits"] is True
    # Only ids come back; the page renders products from the database.
    assert request_body["_source"] is False


def test_storefront_scope_is_a_hard_filter_that_facets_respect():
    request_body = body(text="kerudung", seller_slug="al-ikhlas")

    assert request_body["query"]["bool"]["filter"] == [{"term": {"seller.slug": "al-ikhlas"}}]
    assert "post_filter" not in request_body


def test_storefront_scope_without_text():
    assert body(seller_slug="al-ikhlas")["query"] == {"bool": {"filter": [{"term": {"seller.slug": "al-ikhlas"}}]}}


def test_autocomplete_asks_for_products_pesantren_and_categories_in_one_multi_search():
    products, pesantren, categories = [
        search.to_dict() for search in autocomplete_search("kerupuk ik", index="products", limit=5)._searches
    ]

    def prefix_fields(request_body):
        multi_match = request_body["query"]["multi_match"]
        assert multi_match["type"] == "bool_prefix"
        assert multi_match["query"] == "kerupuk ik"
        return multi_match["fields"]

    assert prefix_fields(products) == ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"]
    assert products["size"] == 5
    assert products["_source"] == ["title", "url", "seller.name"]
    assert products["sort"][1] == {"in_stock": {"order": "desc"}}
    assert prefix_fields(pesantren)[0] == "seller.name.suggest"
    assert pesantren["size"] == 0
    assert pesantren["aggs"]["values"]["terms"] == {"field": "seller.slug", "size": 5}
    assert prefix_fields(categories)[0] == "category_names.suggest"
    assert categories["aggs"]["values"]["terms"]["field"] == "category_ids"
