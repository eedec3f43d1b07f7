"""The anonymous page cache of the browse pages (core/page_cache.py)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalogue.tasks import flush_product_views
from companies.models import MembershipRole
from core import page_cache
from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db

ProductRecord = get_model("analytics", "ProductRecord")
Basket = get_model("basket", "Basket")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MARKETPLACE_ANONYMOUS_PAGE_CACHE_SECONDS = 30
    page_cache.bump()  # nothing cached by an earlier test


@pytest.fixture
def product():
    seller = make_seller(regions=make_region_tree())
    return make_seller_product(seller, title="Keripik Tempe Original", stock=20)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize("page", ["home", "directory", "storefront", "catalogue", "category", "product", "search"])
def test_a_second_anonymous_visitor_gets_the_page_from_the_cache(product, page):
    urls = {
        "home": "/",
        "directory": reverse("sellers:directory"),
        "storefront": product.stockrecords.get().partner.seller.get_absolute_url(),
        "catalogue": "/catalogue/",
        "category": None,
        "product": product.get_absolute_url(),
        "search": "/search/?q=keripik",
    }
    if page == "category":
        category = get_model("catalogue", "Category").add_root(name="Camilan")
        product.categories.add(category)
        urls["category"] = category.get_absolute_url()
    first, rendered = queries_of(Client(), urls[page])

    second, cached = queries_of(Client(), urls[page])

    assert rendered > 0
    assert cached == 0  # the product page's view is counted in Redis (catalogue/view_counts.py)
    assert CSRF.sub("", second.content.decode()) == CSRF.sub("", first.content.decode())


def test_a_cached_add_to_basket_form_carries_the_visitors_own_csrf_token(product):
    Client().get("/catalogue/")  # rendered and stored with the first visitor's token
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get("/catalogue/").content.decode()
    token = CSRF.search(page).group(1)
    response = visitor.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1, "csrfmiddlewaretoken": token}
    )

    assert page_cache.CSRF_PLACEHOLDER not in page
    assert response.status_code == 302
    assert Basket.objects.get().all_lines()[0].product == product


def test_signed_in_visitors_and_visitors_with_a_basket_are_never_served_from_the_cache(client, product):
    buyer = make_user()
    make_company(members=[(buyer, MembershipRole.BUYER)])
    Client().get("/catalogue/")
    client.force_login(buyer)

    _response, signed_in = queries_of(client, "/catalogue/")
    shopper = Client()
    shopper.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    _response, with_basket = queries_of(shopper, "/catalogue/")

    assert signed_in > 5
    assert with_basket > 5


def test_saving_a_product_makes_the_cached_pages_stale(product):
    assert "Keripik Tempe Original" in Client().get("/catalogue/").content.decode()

    product.title = "Keripik Tempe Pedas"
    product.save()

    page = Client().get("/catalogue/").content.decode()
    assert "Keripik Tempe Pedas" in page
    assert "Keripik Tempe Original" not in page


def test_a_product_page_from_the_cache_still_counts_the_view_and_the_recently_viewed_cookie(product):
    url = product.get_absolute_url()
    Client().get(url)
    visitor = Client()

    response = visitor.get(url)
    flush_product_views.apply()

    assert ProductRecord.objects.get(product=product).num_views == 2
    assert str(product.pk) in response.cookies["oscar_history"].value
