"""What buyers see of the wholesale offer: the product page, the basket at tier prices, and the MOQ on line updates."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from basket.forms import BasketLineForm
from companies.models import Company, CompanyMembership, CompanyStatus
from tests.factories import make_npwp, make_region_tree, make_seller, make_seller_product, make_user
from wholesale.services import price_tiers_set, wholesale_moq_set

pytestmark = pytest.mark.django_db

Line = get_model("basket", "Line")
MOQ_MESSAGE = "The minimum order for wholesale buyers is 10 units."


def make_member(*, status: str = CompanyStatus.VERIFIED):
    user = make_user()
    company = Company.objects.create(
        legal_name="PT Katering Barokah",
        npwp=make_npwp(user.pk),
        business_type="caterer",
        address="Jl. Braga 1, Bandung",
        contact_name="Rina",
        contact_phone="0812000111",
        contact_email="rina@example.com",
        status=status,
    )
    CompanyMembership.objects.create(company=company, user=user)
    return user


@pytest.fixture
def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def product():
    seller = make_seller(regions=make_region_tree())
    product = make_seller_product(seller, title="Kopi Robusta Pesantren", price="25000", stock=500)
    record = product.stockrecords.get()
    price_tiers_set(stockrecord=record, tiers=[(10, 22000), (50, 20000)])
    wholesale_moq_set(stockrecord=record, moq=10)
    return product


def add_to_basket(client, product, quantity: int):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
    assert response.status_code == 302
    return Line.objects.get(basket__owner=response.wsgi_request.user, product=product)


def update_line(client, line, quantity):
    """POST Oscar's basket formset, as the basket page's "Update" button does."""
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": str(quantity),
    }
    return client.post(reverse("basket:summary"), data)


# The product page


def test_verified_member_sees_the_wholesale_table_and_moq(english_client, product):
    english_client.force_login(make_member())

    body = english_client.get(product.get_absolute_url()).content.decode()

    assert 'id="wholesale_prices"' in body
    table = body[body.index('id="wholesale_prices"') :]
    assert table.index("10+") < table.index("Rp 22.000") < table.index("50+") < table.index("Rp 20.000")
    assert "Minimum order for business buyers: 10 units" in body
    assert "Business buyer? Register your company" not in body


@pytest.mark.parametrize("who", ["visitor", "consumer", "unverified member"])
def test_others_see_retail_only_and_the_registration_hint(english_client, product, who):
    if who == "consumer":
        english_client.force_login(make_user())
    elif who == "unverified member":
        english_client.force_login(make_member(status=CompanyStatus.APPLIED))

    body = english_client.get(product.get_absolute_url()).content.decode()

    assert "Rp 25.000" in body
    assert 'id="wholesale_prices"' not in body and "Rp 22.000" not in body and "Rp 20.000" not in body
    assert "Minimum order for business buyers" not in body
    assert f'href="{reverse("companies:register")}"' in body
    assert "Business buyer? Register your company" in body


def quantity_input(body: str) -> str:
    match = re.search(r'<input [^>]*name="quantity"[^>]*>', body)
    assert match, "the add-to-basket form has a quantity"
    return match.group()


def test_member_chooses_the_quantity_on_the_product_page_starting_at_the_moq(client, product):
    client.force_login(make_member())

    field = quantity_input(client.get(product.get_absolute_url()).content.decode())

    # Oscar's hidden quantity of 1 is always below a wholesale minimum: the buyer types the quantity instead
    assert 'type="number"' in field and 'value="10"' in field and 'min="10"' in field
    assert add_to_basket(client, product, 50).quantity == 50


def test_the_one_click_add_of_the_storefront_adds_the_moq_for_a_member(client, product):
    client.force_login(make_member())
    seller = product.stockrecords.get().partner.seller

    body = client.get(reverse("sellers:storefront", kwargs={"slug": seller.slug})).content.decode()

    form = body[body.index(f'action="{reverse("basket:add", kwargs={"pk": product.pk})}"') :]
    assert 'type="hidden"' in quantity_input(form) and 'value="10"' in quantity_input(form)
    assert add_to_basket(client, product, 10).quantity == 10


def test_consumers_start_the_product_page_stepper_at_one_unit(client, product):
    client.force_login(make_user())

    field = quantity_input(client.get(product.get_absolute_url()).content.decode())

    assert 'type="number"' in field and 'value="1"' in field and 'min="1"' in field


def test_product_page_of_a_consumer_does_not_read_the_wholesale_tables(client, product):
    client.force_login(make_user())

    with CaptureQueriesContext(connection) as queries:
        assert client.get(product.get_absolute_url()).status_code == 200

    sql = " ".join(query["sql"] for query in queries)
    assert "offtakers_pricetier" not in sql and "offtakers_wholesaleterms" not in sql


# The basket


def test_basket_page_shows_the_50_plus_tier_price_and_total(english_client, product):
    english_client.force_login(make_member())
    add_to_basket(english_client, product, 50)

    response = english_client.get(reverse("basket:summary"))

    body = response.content.decode()
    basket = response.context["basket"]
    assert "Rp 20.000" in body and "Rp 1.000.000" in body
    # the retail price appears nowhere, not even in Oscar's "price changed since you added it" warning
    assert "Rp 25.000" not in body and "since you added it" not in body
    assert basket.total_excl_tax == 1_000_000


def test_offtaker_cannot_reduce_a_line_below_the_moq_and_nothing_changes(english_client, product):
    # given
    english_client.force_login(make_member())
    line = add_to_basket(english_client, product, 12)

    # when
    response = update_line(english_client, line, 9)

    # then
    assert response.status_code == 200
    assert MOQ_MESSAGE in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 12


def test_offtaker_may_change_a_line_at_or_above_the_moq_and_gets_the_new_tier(english_client, product):
    english_client.force_login(make_member())
    line = add_to_basket(english_client, product, 12)

    response = update_line(english_client, line, 10)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 10

    update_line(english_client, line, 60)
    page = english_client.get(reverse("basket:summary"))
    assert page.context["basket"].total_excl_tax == 60 * 20000
    assert "Rp 20.000" in page.content.decode() and "since you added it" not in page.content.decode()


def test_offtaker_may_still_remove_the_line(english_client, product):
    english_client.force_login(make_member())
    line = add_to_basket(english_client, product, 12)

    update_line(english_client, line, 0)

    assert not Line.objects.filter(pk=line.pk).exists()


def test_consumer_line_updates_ignore_the_moq(english_client, product):
    # given
    english_client.force_login(make_user())
    line = add_to_basket(english_client, product, 12)

    # when
    response = update_line(english_client, line, 3)

    # then
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.quantity == 3
    assert english_client.get(reverse("basket:summary")).context["basket"].total_excl_tax == 3 * 25000


def test_oscar_loads_our_basket_line_form():
    assert get_class("basket.forms", "BasketLineForm") is BasketLineForm
    formset = get_class("basket.formsets", "BasketLineFormSet")
    assert issubclass(formset.form, BasketLineForm)
