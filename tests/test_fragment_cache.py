"""The catalogue fragments of rendered browse pages (core/page_cache.py, `{% catalogue_cache %}`).

Visitors the page cache does not serve (signed in, or with a basket) get their pages rendered, but
the product grids, the facets, the directory's list and the search backend's answer come from the
cache until the catalogue changes, shared by every visitor who gets the same prices.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from core import page_cache
from tests.factories import make_user
from tests.test_browse_query_counts import browse_urls, build_catalogue, grow, wholesale_buyer
from wholesale.models import WholesaleTerms

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CATALOGUE_PAGES = ["home", "directory", "storefront", "catalogue", "category", "search"]


@pytest.fixture(autouse=True)
def fragment_cache_on(settings):
    settings.MARKETPLACE_FRAGMENT_CACHE_SECONDS = 30
    page_cache.bump()  # nothing cached by an earlier test


@pytest.fixture
def world():
    return grow(build_catalogue(), products=8, pesantren=2, reviews=1)


def signed_in(user=None) -> Client:
    client = Client()
    client.force_login(user or make_user())
    return client


def render(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("page", CATALOGUE_PAGES)
def test_another_signed_in_visitor_gets_the_catalogue_fragments_from_the_cache(world, page):
    url = browse_urls(world)[page]
    first_page, first_queries = render(signed_in(), url)

    second_page, second_queries = render(signed_in(), url)

    assert second_queries < first_queries, (first_queries, second_queries)
    cards = re.findall(r'<article class="product_pod.*?</article>', CSRF.sub("", first_page), re.S)
    assert cards == re.findall(r'<article class="product_pod.*?</article>', CSRF.sub("", second_page), re.S)
    if page != "directory":
        assert cards, "the page lists products"
    assert page_cache.CSRF_PLACEHOLDER not in second_page


def test_a_cached_grid_posts_with_the_visitors_own_csrf_token(world):
    signed_in().get("/catalogue/")  # the grid is stored with the first visitor's token
    buyer = make_user()
    visitor = Client(enforce_csrf_checks=True)
    visitor.force_login(buyer)

    page = visitor.get("/catalogue/").content.decode()
    token = CSRF.search(page).group(1)
    product = world["products"][0]
    response = visitor.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Basket.objects.get(owner=buyer).all_lines()[0].product == product


def test_a_catalogue_write_shows_on_the_next_render(world):
    product = world["products"][0]
    visitor = signed_in()
    assert product.title in visitor.get("/catalogue/").content.decode()

    product.title = "Dodol Garut Wijen"
    product.save()
    page = visitor.get("/catalogue/").content.decode()

    assert "Dodol Garut Wijen" in page


def test_company_members_get_their_wholesale_cards_not_the_retail_ones(world):
    record = world["product"].stockrecords.get()
    WholesaleTerms.objects.update_or_create(stockrecord=record, defaults={"moq": 7})
    retail = signed_in().get("/catalogue/").content.decode()  # stored for retail prices

    wholesale = signed_in(wholesale_buyer()).get("/catalogue/").content.decode()
    retail_again = signed_in().get("/catalogue/").content.decode()

    assert 'name="quantity" value="7"' in wholesale
    assert 'name="quantity" value="7"' not in retail
    assert CSRF.sub("", retail_again).count("pp-product-card") == CSRF.sub("", retail).count("pp-product-card")
    assert 'name="quantity" value="7"' not in retail_again


def test_a_fragment_follows_the_language(world):
    english = signed_in()
    english.cookies["django_language"] = "en"
    indonesian_page = signed_in().get("/catalogue/").content.decode()

    english_page = english.get("/catalogue/").content.decode()

    assert "Tambah ke keranjang" in indonesian_page
    assert english_page.count("pp-product-card") == indonesian_page.count("pp-product-card") > 0
    assert "Tambah ke keranjang" not in english_page


def test_pricing_key_tells_strategies_and_companies_apart(rf, world):
    consumer, member, other_member = make_user(), wholesale_buyer(), wholesale_buyer()

    def key_of(user):
        from oscar.core.loading import get_class

        request = rf.get("/")
        request.user = user
        request.strategy = get_class("partner.strategy", "Selector")().strategy(request=request, user=user)
        return page_cache.pricing_key(request)

    assert key_of(member) != key_of(consumer)
    assert key_of(member) != key_of(other_member)
    assert key_of(consumer) == key_of(make_user())


# The product page: one fragment of everything the catalogue decides, with holes for the visitor's own.


def product_fragment(page: str) -> str:
    """The product page between its breadcrumb and the recently viewed list, without CSRF tokens."""
    body = CSRF.sub("", page)
    return body[body.index('<article class="product_page">') : body.index("</article>")]


def test_another_signed_in_visitor_of_the_same_pricing_gets_the_product_page_from_the_fragment(world):
    url = world["product"].get_absolute_url()
    first_page, first_queries = render(signed_in(), url)

    second_page, second_queries = render(signed_in(), url)

    # the gallery, price, stock, description, pesantren and reviews are read once; what is left is
    # the signed-in visitor's own overhead (session, user, basket, notifications) and holes
    assert second_queries <= first_queries - 5, (first_queries, second_queries)
    assert product_fragment(second_page) == product_fragment(first_page)
    for part in ("pp-detail-price", "pp-about-seller", 'id="reviews"', "add_to_basket_form"):
        assert part in second_page, part
    assert page_cache.CSRF_PLACEHOLDER not in second_page and "<!--visitor-include" not in second_page


def test_the_holes_are_each_visitors_own_wish_lists_and_staff_link(world):
    WishList = get_model("wishlists", "WishList")
    product = world["product"]
    url = product.get_absolute_url()
    collector, staff = make_user(), make_user(is_staff=True)
    WishList.objects.create(owner=collector, name="Oleh-oleh Lebaran").add(product)
    render(signed_in(), url)  # stored by a visitor with no wish list and no staff rights

    mine, _queries = render(signed_in(collector), url)
    staffs, _queries = render(signed_in(staff), url)
    someone_elses, _queries = render(signed_in(), url)

    assert "Oleh-oleh Lebaran" in mine and "Oleh-oleh Lebaran" not in someone_elses + staffs
    edit = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    assert edit in staffs and edit not in mine + someone_elses


def test_the_stock_alert_form_is_the_visitors_own_on_a_cached_out_of_stock_page(world):
    StockAlert = get_model("customer", "ProductAlert")
    product = next(product for product in world["products"] if product.stockrecords.get().num_in_stock == 0)
    url = product.get_absolute_url()
    watcher = make_user()
    StockAlert.objects.create(user=watcher, product=product)
    first, _queries = render(signed_in(), url)

    watchers, _queries = render(signed_in(watcher), url)

    assert 'id="alert_form"' in first and 'id="alert_form"' not in watchers
    assert "pp-out-of-stock" in watchers


def test_a_company_never_sees_another_companys_or_consumers_product_page_and_back(world):
    product = world["product"]
    record = product.stockrecords.get()
    WholesaleTerms.objects.update_or_create(stockrecord=record, defaults={"moq": 7})
    url = product.get_absolute_url()
    member = wholesale_buyer()
    consumer_page, _queries = render(signed_in(), url)  # stored for consumers first
    member_page, member_queries = render(signed_in(member), url)
    second_member_page, second_member_queries = render(signed_in(member), url)
    other_company_page, other_company_queries = render(signed_in(wholesale_buyer()), url)
    consumer_again, _queries = render(signed_in(), url)

    assert 'id="wholesale_prices"' in member_page and 'id="wholesale_prices"' not in consumer_page
    assert 'id="wholesale_prices"' not in consumer_again
    assert product_fragment(consumer_again) == product_fragment(consumer_page)
    # the company's page was stored for it alone: the other company's was rendered afresh
    assert second_member_queries < member_queries
    assert other_company_queries > second_member_queries
    assert 'id="wholesale_prices"' in other_company_page


@pytest.mark.parametrize("write", ["title", "stock", "price"])
def test_the_product_page_fragment_is_refreshed_after_a_product_stock_or_price_write(world, write):
    product = world["product"]
    record = product.stockrecords.get()
    url = product.get_absolute_url()
    visitor = signed_in()
    before = visitor.get(url).content.decode()
    assert "pp-in-stock" in before

    if write == "title":
        product.title = "Dodol Garut Wijen"
        product.save()
    elif write == "stock":
        record.num_in_stock = 0
        record.save()
    else:
        record.price = 123456
        record.save()
    after = signed_in().get(url).content.decode()

    expected = {"title": "Dodol Garut Wijen", "stock": "pp-out-of-stock", "price": "Rp 123.456"}[write]
    assert expected not in before and expected in after
