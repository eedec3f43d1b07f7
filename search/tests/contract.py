"""Behaviours every search backend must have, written once.

Collected by test_contract.py and run against each backend through the `search_backend` fixture
(search/tests/conftest.py): the database backend always, Elasticsearch when ELASTICSEARCH_URL is set.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
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
    SORT_NEWEST,
    SORT_PRICE_ASC,
    SORT_PRICE_DESC,
    SearchQuery,
)
from search.models import SearchSynonym
from search.tests.conftest import reindex


def counts(result, facet: str) -> dict[str, int]:
    return {value: count for value, _label, count in result.facets.get(facet, [])}


def test_browse_lists_every_searchable_product_and_hides_suspended_pesantren(search_backend, search_world):
    # given
    reindex(search_backend)

    # when
    result = search_backend.search(SearchQuery())

    # then
    w = search_world
    expected = {w.kerudung.pk, w.peci.pk, w.gamis.pk, w.keripik_pisang.pk, w.keripik_singkong.pk, w.kopi.pk}
    assert set(result.product_ids) == expected
    assert result.total == 6


def test_a_typo_still_finds_the_product(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery(text="kerudng"))

    assert result.product_ids[0] == search_world.kerudung.pk
    assert search_world.banned_kerudung.pk not in result.product_ids
    # "Apakah maksud Anda kerudung?": the word the catalogue knows, not the suspended product's words
    assert result.suggestion == "kerudung"
    assert result.corrected is False


def test_a_misspelt_word_in_a_longer_query_is_corrected_alone(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery(text="keripk pisang"))

    assert result.product_ids[0] == search_world.keripik_pisang.pk
    assert result.suggestion == "keripik pisang"


def test_a_regional_spelling_finds_the_product_without_a_suggestion(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    result = search_backend.search(SearchQuery(text="kripik singkong"))
    every_kripik = search_backend.search(SearchQuery(text="kripik"))

    assert result.product_ids[0] == w.keripik_singkong.pk
    assert set(every_kripik.product_ids) == {w.keripik_pisang.pk, w.keripik_singkong.pk}
    # "kripik" is the same word as "keripik", not a typo of it
    assert result.suggestion is None
    assert every_kripik.suggestion is None


def test_a_well_spelt_query_gets_no_suggestion(search_backend, search_world):
    reindex(search_backend)

    for text in ("keripik", "kerudung segi empat", "kopi", "peci"):
        assert search_backend.search(SearchQuery(text=text)).suggestion is None, text


def test_short_and_distant_words_are_not_corrected(search_backend, search_world):
    reindex(search_backend)

    # "pesing" is two edits from "pisang", too many for six letters; "pc" is too short to correct.
    for text in ("pesing", "pc", "xyzzy"):
        result = search_backend.search(SearchQuery(text=text))
        assert result.total == 0, text
        assert result.suggestion is None, text


def test_the_suggestion_only_offers_searchable_words(search_backend, search_world):
    # given the only product titled "Instan" belongs to a suspended pesantren
    reindex(search_backend)

    result = search_backend.search(SearchQuery(text="instn"))

    assert result.total == 0
    assert result.suggestion is None


def test_a_synonym_matches(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery(text="jilbab"))

    assert result.product_ids == [search_world.kerudung.pk]
    assert result.total == 1


def test_synonyms_apply_without_reindexing(search_backend, search_world):
    # given an index built before the synonym existed
    SearchSynonym.objects.filter(terms__icontains="kopiah").delete()
    reindex(search_backend)
    assert search_backend.search(SearchQuery(text="kopiah")).total == 0

    # when
    SearchSynonym.objects.create(terms="peci, kopiah, songkok")
    sync = getattr(search_backend, "sync_synonyms", None)
    if sync is not None:  # Elasticsearch reloads its synonym set; no documents are written
        sync()

    # then
    assert search_backend.search(SearchQuery(text="kopiah")).product_ids == [search_world.peci.pk]


def test_a_word_is_found_in_any_form_of_the_title(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery(text="keripik pisang"))

    assert result.product_ids[0] == search_world.keripik_pisang.pk


def test_kabupaten_filter(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery(kabupaten_codes=("32.04",)))

    w = search_world
    assert set(result.product_ids) == {w.keripik_pisang.pk, w.keripik_singkong.pk, w.kopi.pk}


def test_facet_counts(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery())

    w = search_world
    assert counts(result, FACET_KABUPATEN) == {"32.04": 3, "32.06": 3}
    assert counts(result, FACET_SELLER) == {"al-ikhlas": 3, "daarut-tauhiid": 3}
    assert counts(result, FACET_SECTOR) == {"fashion": 3, "food": 3}
    # A parent category counts the products of its subcategories.
    assert counts(result, FACET_CATEGORY) == {
        str(w.busana_category.pk): 3,
        str(w.kerudung_category.pk): 1,
        str(w.food_category.pk): 3,
    }
    assert counts(result, FACET_HALAL) == {"true": 2}
    assert counts(result, FACET_IN_STOCK) == {"true": 4}
    assert counts(result, FACET_PRICE) == {"0-25000": 2, "25000-50000": 2, "50000-100000": 1, "100000-250000": 1}
    labels = {value: label for value, label, _count in result.facets[FACET_KABUPATEN]}
    assert labels == {"32.04": "Kabupaten Bandung", "32.06": "Kabupaten Tasikmalaya"}


def test_a_facet_ignores_its_own_filter_but_respects_the_others(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery(kabupaten_codes=("32.04",), in_stock=True))

    # The kabupaten facet still offers the other kabupaten (with the in-stock filter applied) ...
    assert counts(result, FACET_KABUPATEN) == {"32.04": 2, "32.06": 2}
    # ... the in-stock facet counts within the kabupaten, ignoring the in-stock filter ...
    assert counts(result, FACET_IN_STOCK) == {"true": 2}
    # ... and the other facets apply both filters.
    assert counts(result, FACET_SELLER) == {"daarut-tauhiid": 2}
    assert result.total == 2


def test_facet_counts_follow_the_text_query(search_backend, search_world):
    reindex(search_backend)

    result = search_backend.search(SearchQuery(text="keripik"))

    assert result.total == 2
    assert counts(result, FACET_SELLER) == {"daarut-tauhiid": 2}
    assert counts(result, FACET_IN_STOCK) == {"true": 1}


def test_suspending_a_pesantren_hides_its_products(search_backend, search_world):
    # given
    from sellers.services import seller_suspend

    reindex(search_backend)
    w = search_world
    assert w.kerudung.pk in search_backend.search(SearchQuery(text="kerudung")).product_ids

    # when
    seller_suspend(seller=w.fashion_seller, suspended_by=None, reason="Produk tidak sesuai")
    reindex(search_backend, [w.kerudung.pk, w.peci.pk, w.gamis.pk])

    # then
    assert search_backend.search(SearchQuery(text="kerudung")).total == 0
    assert set(search_backend.search(SearchQuery()).product_ids) == {
        w.keripik_pisang.pk,
        w.keripik_singkong.pk,
        w.kopi.pk,
    }


def test_sold_out_products_rank_last_whatever_the_sort(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    by_relevance = search_backend.search(SearchQuery(text="keripik"))
    cheapest_first = search_backend.search(SearchQuery(sort=SORT_PRICE_ASC))
    newest_first = search_backend.search(SearchQuery(sort=SORT_NEWEST))

    assert by_relevance.product_ids == [w.keripik_pisang.pk, w.keripik_singkong.pk]
    # The sold-out keripik singkong is the cheapest and the gamis the dearest; both go last.
    assert cheapest_first.product_ids[-2:] in (
        [w.keripik_singkong.pk, w.gamis.pk],
        [w.gamis.pk, w.keripik_singkong.pk],
    )
    assert set(newest_first.product_ids[:4]) == {w.kerudung.pk, w.peci.pk, w.keripik_pisang.pk, w.kopi.pk}


def test_sorting_by_price(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    ascending = search_backend.search(SearchQuery(sort=SORT_PRICE_ASC, in_stock=True))
    descending = search_backend.search(SearchQuery(sort=SORT_PRICE_DESC, in_stock=True))

    assert ascending.product_ids == [w.keripik_pisang.pk, w.peci.pk, w.kerudung.pk, w.kopi.pk]
    assert descending.product_ids == list(reversed(ascending.product_ids))


def test_price_range_is_half_open(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    result = search_backend.search(SearchQuery(price_min=Decimal("35000"), price_max=Decimal("60000")))

    assert set(result.product_ids) == {w.peci.pk, w.kerudung.pk}


def test_pagination_totals(search_backend, search_world):
    reindex(search_backend)

    pages = [search_backend.search(SearchQuery(sort=SORT_PRICE_ASC, page=n, page_size=4)) for n in (1, 2, 3)]

    assert [page.total for page in pages] == [6, 6, 6]
    assert [len(page.product_ids) for page in pages] == [4, 2, 0]
    assert len(set(pages[0].product_ids) | set(pages[1].product_ids)) == 6


def test_category_filter_includes_subcategories(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    result = search_backend.search(SearchQuery(category_ids=(w.busana_category.pk,)))

    assert set(result.product_ids) == {w.kerudung.pk, w.peci.pk, w.gamis.pk}
    # The category facet ignores its own filter, so the shopper can switch to another category.
    assert counts(result, FACET_CATEGORY)[str(w.food_category.pk)] == 3


def test_halal_filter(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    result = search_backend.search(SearchQuery(halal=True))

    assert set(result.product_ids) == {w.keripik_pisang.pk, w.keripik_singkong.pk}


def _curate(product, stars: int, *, valid_days: int) -> None:
    """Stars as curation's service writes them onto the product (search sits below curation)."""
    until = timezone.localdate() + datetime.timedelta(days=valid_days)
    get_model("catalogue", "Product").objects.filter(pk=product.pk).update(
        curation_stars=stars, curation_stars_until=until
    )


def test_curation_stars_filter_and_facet_count_only_valid_stars(search_backend, search_world):
    # given a 4-star kerudung, a 2-star kopi and a peci whose 5 stars expired yesterday
    w = search_world
    _curate(w.kerudung, 4, valid_days=30)
    _curate(w.kopi, 2, valid_days=0)  # the last valid day is today
    _curate(w.peci, 5, valid_days=-1)
    reindex(search_backend)

    # when
    everything = search_backend.search(SearchQuery())
    three_up = search_backend.search(SearchQuery(stars_min=3))
    in_bandung = search_backend.search(SearchQuery(stars_min=1, kabupaten_codes=(w.bandung["kabupaten"].code,)))

    # then "at least n stars" counts, and expired stars count as none
    assert counts(everything, FACET_STARS) == {"4": 1, "3": 1, "2": 2, "1": 2}
    assert [value for value, _label, _count in everything.facets[FACET_STARS]] == ["4", "3", "2", "1"]
    assert three_up.product_ids == [w.kerudung.pk]
    # the facet ignores its own filter but respects the others
    assert counts(three_up, FACET_STARS) == {"4": 1, "3": 1, "2": 2, "1": 2}
    assert in_bandung.product_ids == [w.kopi.pk]
    assert counts(in_bandung, FACET_STARS) == {"2": 1, "1": 1}


def test_storefront_search_stays_in_one_pesantren(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    everything = search_backend.search(SearchQuery(seller_slug="al-ikhlas"))
    kerudung = search_backend.search(SearchQuery(seller_slug="al-ikhlas", text="kerudung"))
    keripik = search_backend.search(SearchQuery(seller_slug="al-ikhlas", text="keripik"))

    assert set(everything.product_ids) == {w.kerudung.pk, w.peci.pk, w.gamis.pk}
    assert counts(everything, FACET_SELLER) == {"al-ikhlas": 3}
    assert kerudung.product_ids == [w.kerudung.pk]
    assert keripik.total == 0


def test_deleted_products_leave_the_index(search_backend, search_world):
    reindex(search_backend)
    w = search_world
    kopi_pk = w.kopi.pk

    w.kopi.delete()
    reindex(search_backend, [kopi_pk])

    assert kopi_pk not in search_backend.search(SearchQuery()).product_ids


def test_autocomplete_suggests_products_pesantren_and_categories(search_backend, search_world):
    reindex(search_backend)
    w = search_world

    kerudung = search_backend.autocomplete("keru")
    pesantren = search_backend.autocomplete("ikhlas")

    assert [item["id"] for item in kerudung["products"]] == [w.kerudung.pk]
    assert kerudung["products"][0]["url"] == w.kerudung.get_absolute_url()
    assert [item["name"] for item in kerudung["categories"]] == ["Kerudung"]
    assert [item["slug"] for item in pesantren["pesantren"]] == ["al-ikhlas"]
    assert search_backend.autocomplete("   ") == {"products": [], "pesantren": [], "categories": []}
