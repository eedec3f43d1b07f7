import re

import pytest
from django.conf import settings
from django.urls import reverse

from search.backends.database import DatabaseBackend
from search.tests.conftest import reindex


@pytest.fixture
def indexed_world(search_world):
    reindex(DatabaseBackend())
    return search_world


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def facet_counts(page: str, facet: str) -> dict[str, int]:
    section = re.search(rf'data-facet="{facet}">(.*?)</section>', page, re.S).group(1)
    return {
        value: int(count)
        for value, count in re.findall(r'data-facet-value="([^"]+)".*?pp-facet-count">(\d+)<', section, re.S)
    }


def test_search_page_finds_typos_and_shows_facet_counts(english, indexed_world):
    response = english.get(reverse("search:search"), {"q": "kerudng"})

    page = response.content.decode()
    assert [p.pk for p in response.context["products"]] == [indexed_world.kerudung.pk]
    assert "Kerudung Segi Empat Voal" in page
    assert "Kerudung Instan Terlarang" not in page
    assert facet_counts(page, "seller") == {"al-ikhlas": 1}


def test_a_facet_link_applies_the_filter_and_counts_change(english, indexed_world):
    # given the catalogue, all products
    page = english.get("/catalogue/").content.decode()
    assert facet_counts(page, "kabupaten") == {"32.04": 3, "32.06": 3}
    link = re.search(r'href="(\?[^"]*kabupaten=32.04[^"]*)"', page).group(1).replace("&amp;", "&")

    # when the shopper picks Kabupaten Bandung
    response = english.get("/catalogue/" + link)

    # then only its products are listed, and the other facets count within it
    page = response.content.decode()
    w = indexed_world
    assert {p.pk for p in response.context["products"]} == {w.keripik_pisang.pk, w.keripik_singkong.pk, w.kopi.pk}
    assert facet_counts(page, "kabupaten") == {"32.04": 3, "32.06": 3}
    assert facet_counts(page, "seller") == {"daarut-tauhiid": 3}
    assert "3 products." in page


def test_sorting_and_sold_out_last(english, indexed_world):
    response = english.get("/catalogue/", {"sort": "price_asc", "category": indexed_world.food_category.pk})

    titles = [p.title for p in response.context["products"]]
    assert titles == ["Keripik Pisang Manis", "Kopi Robusta Gunung Puntang", "Keripik Singkong Pedas"]
    assert 'value="price_asc" selected' in response.content.decode()


def test_pagination_keeps_filters(english, indexed_world):
    from search.views import SearchView

    SearchView.page_size, original = 2, SearchView.page_size
    try:
        response = english.get("/catalogue/", {"halal": "true", "sort": "newest"})
        second = english.get("/catalogue/", {"in_stock": "true", "page": "2"})
        missing = english.get("/catalogue/", {"page": "9"})
    finally:
        SearchView.page_size = original

    assert response.context["paginator"].count == 2
    assert response.context["paginator"].num_pages == 1
    assert second.context["paginator"].count == 4
    assert len(second.context["products"]) == 2
    assert missing.status_code == 404


def test_invalid_filters_are_reported_and_ignored(english, indexed_world):
    response = english.get("/catalogue/", {"category": "abc", "price_min": "90000", "price_max": "10"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "“abc” is not a category." in page
    assert "The maximum price must be above the minimum price." in page
    assert response.context["paginator"].count == 6


def test_category_page_lists_its_subcategories_products_and_links_other_categories(english, indexed_world):
    w = indexed_world

    response = english.get(w.busana_category.get_absolute_url())

    page = response.content.decode()
    assert {p.pk for p in response.context["products"]} == {w.kerudung.pk, w.peci.pk, w.gamis.pk}
    assert f'href="{w.food_category.get_absolute_url()}"' in page


def test_autocomplete_returns_products_pesantren_and_categories(client, indexed_world):
    response = client.get(reverse("search:autocomplete"), {"q": "keru"})

    data = response.json()
    assert response.status_code == 200
    assert [item["title"] for item in data["products"]] == ["Kerudung Segi Empat Voal"]
    assert [item["name"] for item in data["categories"]] == ["Kerudung"]
    assert client.get(reverse("search:autocomplete"), {"q": "daarut"}).json()["pesantren"] == [
        {
            "slug": "daarut-tauhiid",
            "name": "Pesantren Daarut Tauhiid",
            "kabupaten": "Kabupaten Bandung",
            "url": indexed_world.food_seller.get_absolute_url(),
        }
    ]
    assert client.get(reverse("search:autocomplete"), {"q": "k"}).json()["products"] == []
    assert client.get(reverse("search:autocomplete"), {"q": "x" * 101}).status_code == 400


def test_storefront_search_uses_the_search_backend(english, indexed_world):
    response = english.get(indexed_world.fashion_seller.get_absolute_url(), {"q": "kerudng"})

    assert [p.pk for p in response.context["products"]] == [indexed_world.kerudung.pk]


def test_a_filtered_search_page_needs_a_bounded_number_of_queries(
    english, indexed_world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        english.get("/catalogue/", {"q": "keripik", "kabupaten": "32.04", "halal": "true", "sort": "price_asc"})


def test_search_result_list_answers_the_paginators_slices(indexed_world):
    from django.core.paginator import Paginator

    from search.backends.base import SearchQuery
    from search.selectors import SearchResultList

    results = SearchResultList(SearchQuery(sort="price_asc", page_size=4))
    paginator = Paginator(results, 4, orphans=2)

    assert paginator.count == 6
    assert paginator.num_pages == 1  # two left over fold into the page, as orphans
    assert [p.title for p in paginator.page(1).object_list] == [
        "Keripik Pisang Manis",
        "Peci Rajut Hitam",
        "Kerudung Segi Empat Voal",
        "Kopi Robusta Gunung Puntang",
        "Keripik Singkong Pedas",
        "Gamis Katun Anak",
    ]
    assert [p.title for p in Paginator(results, 4).page(2).object_list] == [
        "Keripik Singkong Pedas",
        "Gamis Katun Anak",
    ]


def test_a_business_buyer_pays_no_query_per_product_on_the_catalogue(english, indexed_world):
    """The business strategy's minimum quantities are loaded once for the page, not once per product."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_company, make_user

    def catalogue_queries(user) -> int:
        english.force_login(user)
        english.get("/catalogue/")  # the session and the basket exist from here on
        with CaptureQueriesContext(connection) as queries:
            assert english.get("/catalogue/").status_code == 200
        return len(queries)

    consumer_queries = catalogue_queries(make_user())
    buyer = make_user()
    make_company(members=[(buyer, "buyer")])

    # the company, then the page's minimum quantities and tiers: three more for the page's 6 products
    assert catalogue_queries(buyer) <= consumer_queries + 3


def test_a_misspelt_search_asks_did_you_mean_with_a_link_keeping_the_filters(english, indexed_world):
    response = english.get(reverse("search:search"), {"q": "kerudng", "sort": "price_asc", "page": "1"})

    page = response.content.decode()
    assert [p.pk for p in response.context["products"]] == [indexed_world.kerudung.pk]
    assert response.context["suggestion"] == "kerudung"
    assert 'data-suggestion="kerudung" data-corrected="false"' in page
    link = re.search(r'class="pp-spelling[^"]*".*?<a href="([^"]+)">kerudung</a>', page, re.S).group(1)
    assert link.replace("&amp;", "&") == "/search/?q=kerudung&sort=price_asc"


def test_a_well_spelt_search_shows_no_suggestion(english, indexed_world):
    response = english.get(reverse("search:search"), {"q": "kerudung"})

    assert response.context["suggestion"] is None
    assert "pp-spelling" not in response.content.decode()


def test_results_of_a_correction_say_so_and_escape_the_texts(english, indexed_world, monkeypatch):
    # given a backend that answered with a correction's results (as forgive_typos does)
    from search import selectors
    from search.backends.base import SearchResult

    class Corrected:
        def search(self, query):
            return SearchResult(
                product_ids=[indexed_world.kerudung.pk], total=1, suggestion='kerudung"><i>x', corrected=True
            )

    monkeypatch.setattr(selectors, "get_backend", lambda: Corrected())

    # when
    response = english.get(reverse("search:search"), {"q": "<b>krdng</b>"})

    # then
    page = response.content.decode()
    assert [p.pk for p in response.context["products"]] == [indexed_world.kerudung.pk]
    assert 'data-corrected="true"' in page
    assert "<i>x" not in page and "<b>krdng" not in page
    assert "kerudung&quot;&gt;&lt;i&gt;x" in page
    assert "&lt;b&gt;krdng&lt;/b&gt;" in page
