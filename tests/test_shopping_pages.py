"""Mobile-first shopping pages (issue 12.2), server side: what the consumer's pages say and do.

The browser walk at 390 px is tests/test_browser_shopping.py; these check the pages' content and
the add-to-basket quantity directly, in English (the Indonesian catalogue may not be compiled).
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from oscar.apps.payment.models import Source, SourceType

from companies.models import MembershipRole
from fulfilment.services import order_payment_succeeded, seller_order_accept, seller_order_pack, seller_order_ship
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)
from wholesale.models import PriceTier, WholesaleTerms

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def paid_order():
    """A signed-in buyer's card order from two pesantren, paid."""
    regions = make_region_tree()
    buyer = make_user()
    one = make_seller(name="Pesantren Kopi", regions=regions)
    other = make_seller(name="Pesantren Batik", regions=regions)
    order = place_order(
        items=[(make_seller_product(one, price="50000"), 1), (make_seller_product(other, price="36500"), 2)],
        shipping_address=make_shipping_address(regions=regions),
        user=buyer,
    )
    card, _ = SourceType.objects.get_or_create(code="card", defaults={"name": "Card"})
    Source.objects.create(order=order, source_type=card, amount_allocated=order.total_incl_tax, currency="IDR")
    order_payment_succeeded(order_id=order.pk, reference="pi_test")
    return {"order": order, "buyer": buyer, "regions": regions}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_after_a_card_payment_the_order_page_says_it_went_through(english, paid_order):
    order = paid_order["order"]
    english.force_login(paid_order["buyer"])

    page = english.get(reverse("customer:order", kwargs={"order_number": order.number}) + "?paid=1").content.decode()

    assert "data-payment-success" in page
    text = text_of(page)
    assert "Payment successful" in text
    assert f"We received your payment of Rp {int(order.total_incl_tax):,}".replace(",", ".") in text
    assert 'data-order-status="Paid"' in page
    # each pesantren's part with its own status
    assert page.count("data-seller-order=") == 2
    assert page.count('data-status="paid"') == 2


def test_an_unpaid_order_shows_no_payment_message(english):
    regions = make_region_tree()
    buyer = make_user()
    order = place_order(
        items=[(make_seller_product(make_seller(regions=regions)), 1)],
        shipping_address=make_shipping_address(regions=regions),
        user=buyer,
    )
    english.force_login(buyer)

    page = english.get(reverse("customer:order", kwargs={"order_number": order.number}) + "?paid=1").content.decode()

    assert "data-payment-success" not in page
    assert "data-payment-received" not in page
    assert 'data-order-status="Pending payment"' in page


def test_the_order_pages_show_the_status_derived_from_the_parts_and_the_full_address(english, paid_order):
    order, regions = paid_order["order"], paid_order["regions"]
    english.force_login(paid_order["buyer"])
    first, second = order.seller_orders.order_by("pk")
    for part in (first,):
        seller_order_accept(seller_order=part, actor=None)
        seller_order_pack(seller_order=part, actor=None)
        seller_order_ship(seller_order=part, actor=None, courier="JNE", tracking_number="JNE1")

    detail = english.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    history = english.get(reverse("customer:order-list")).content.decode()

    assert 'data-order-status="Partly shipped"' in detail
    assert "Partly shipped" in text_of(detail)
    # the payment is now one line, not the big message
    assert "data-payment-received" in detail and "data-payment-success" not in detail
    address = text_of(re.search(r"<address[^>]*data-shipping-address[^>]*>(.*?)</address>", detail, re.S).group(1))
    assert f"Desa {regions['desa'][0].name}" in address
    assert f"Kec. {regions['kecamatan'][0].name}" in address
    assert regions["kabupaten"].name in address
    # the order history: the overall status and each part's own
    card = re.search(rf'data-order="{order.number}".*?</li>\s*</ul>', history, re.S).group(0)
    assert 'data-order-status="Partly shipped"' in card
    assert f'data-seller-order="{first.number}"' in card and f'data-seller-order="{second.number}"' in card
    assert 'data-status="shipped"' in card and 'data-status="paid"' in card


def test_the_order_history_loads_every_part_of_the_page_at_once(english, paid_order, django_assert_max_num_queries):
    regions, buyer = paid_order["regions"], paid_order["buyer"]
    english.force_login(buyer)
    english.get(reverse("customer:order-list"))
    with django_assert_max_num_queries(100) as few:
        english.get(reverse("customer:order-list"))
    for _ in range(3):
        place_order(
            items=[(make_seller_product(make_seller(regions=regions)), 1)],
            shipping_address=make_shipping_address(regions=regions),
            user=buyer,
        )
    with django_assert_max_num_queries(100) as more:
        english.get(reverse("customer:order-list"))
    # Oscar's own per-order line count is the only query that grows with the orders.
    assert len(more.captured_queries) - len(few.captured_queries) <= 3


def test_the_product_page_bar_adds_the_steppers_quantity_bounded_by_the_stock(english):
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), price="36500", stock=4)

    page = english.get(product.get_absolute_url()).content.decode()
    form = re.search(r'<form id="add_to_basket_form".*?</form>', page, re.S).group(0)
    assert "data-quantity-stepper" in form
    assert re.search(r'name="quantity"[^>]*value="1" min="1" max="4"', form)
    assert 'data-step="-1"' in form and 'data-step="1"' in form
    assert 'name="next" value="/checkout/"' in form  # Buy now

    # when the stepper's quantity is posted, the basket holds that many
    response = english.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 3})
    assert response.status_code == 302
    basket = english.get(reverse("basket:summary")).context["basket"]
    assert [line.quantity for line in basket.all_lines()] == [3]

    # more than the stock is refused with a reason, and the basket is unchanged
    response = english.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 9}, follow=True)
    assert [str(message) for message in response.context["messages"]] == ["a maximum of 4 can be bought"]
    basket = english.get(reverse("basket:summary")).context["basket"]
    assert [line.quantity for line in basket.all_lines()] == [3]


def test_buy_now_adds_and_goes_to_checkout(english):
    product = make_seller_product(make_seller(regions=make_region_tree()), stock=5)

    response = english.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 2, "next": "/checkout/"})

    assert response["Location"] == "/checkout/"
    basket = english.get(reverse("basket:summary")).context["basket"]
    assert [line.quantity for line in basket.all_lines()] == [2]


def test_a_business_buyer_sees_the_cheapest_tier_on_listing_cards_and_the_moq_on_the_stepper(english):
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    tiered = make_seller_product(seller, title="Keripik Tiered", price="30000", stock=100)
    make_seller_product(seller, title="Keripik Plain", price="20000", stock=100)
    record = tiered.stockrecords.get()
    PriceTier.objects.create(stockrecord=record, min_quantity=10, unit_price=28000)
    PriceTier.objects.create(stockrecord=record, min_quantity=50, unit_price=25000)
    WholesaleTerms.objects.create(stockrecord=record, moq=5)
    buyer = make_user()
    make_company(members=[(buyer, MembershipRole.BUYER)])
    from search.backends import get_backend

    get_backend().rebuild()

    # a consumer sees no tier
    assert "data-tier-from" not in english.get("/catalogue/").content.decode()

    english.force_login(buyer)
    listing = english.get("/catalogue/").content.decode()
    cards = {
        title: card
        for card in re.findall(r'<article class="product_pod.*?</article>', listing, re.S)
        for title in ("Keripik Tiered", "Keripik Plain")
        if title in card
    }
    assert "from Rp 25.000 for ≥ 50" in text_of(cards["Keripik Tiered"])
    assert "data-tier-from" not in cards["Keripik Plain"]

    product_page = english.get(tiered.get_absolute_url()).content.decode()
    assert re.search(r'name="quantity"[^>]*value="5" min="5" max="100"', product_page)
