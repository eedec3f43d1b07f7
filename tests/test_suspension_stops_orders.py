"""A suspended pesantren sells nothing: every way to a new order is refused, says why, and reserves no stock.

The entries: adding to the basket, a basket line added before the suspension, the consumer checkout
(card and bank transfer), the order placement itself (the last guard, under a lock), the business
checkout, bulk orders (CSV and the place-now page), re-ordering and accepting a quote. The API's are
in api/tests/test_suspension.py.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from purchasing.models import CompanyOrder, PurchaseRequest
from purchasing.ordering import PurchaseItem, submit_purchase
from quotes.tests.helpers import make_quote, make_rfq
from sellers.services import seller_suspend
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
    shipping_address_data,
)

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
NAME = "Pondok Tertangguh"
WHY = f"{NAME} is not taking orders at the moment."


@pytest.fixture
def world():
    regions = make_region_tree()
    seller = make_seller(name=NAME, regions=regions)
    product = make_seller_product(seller, title="Dodol Garut", price="30000", stock=100)
    record = product.stockrecords.get()
    record.partner_sku = "DODOL-1"
    record.save()
    buyer = make_user()
    company = make_company(members=[(buyer, "approver")])
    return {
        "regions": regions,
        "seller": seller,
        "product": product,
        "record": record,
        "buyer": buyer,
        "company": company,
    }


def suspend(world):
    seller_suspend(seller=world["seller"], suspended_by=None, reason="Audit halal")


def english(client, user=None):
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_nothing_ordered(world):
    world["record"].refresh_from_db()
    assert not Order.objects.exists()
    assert not CompanyOrder.objects.exists() and not PurchaseRequest.objects.exists()
    assert not world["record"].num_allocated


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


def address(world) -> dict:
    return shipping_address_data(regions=world["regions"])


def test_adding_to_the_basket_is_refused_with_the_reason(client, world):
    english(client)
    suspend(world)

    response = client.post(reverse("basket:add", kwargs={"pk": world["product"].pk}), {"quantity": 1}, follow=True)

    assert WHY in messages_of(response)
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_a_line_added_before_the_suspension_says_why_in_the_basket(client, world):
    english(client)
    client.post(reverse("basket:add", kwargs={"pk": world["product"].pk}), {"quantity": 2})
    suspend(world)

    page = client.get(reverse("basket:summary")).content.decode()

    assert WHY in page


@pytest.mark.parametrize("method", ["card", "bank_transfer"])
def test_the_consumer_checkout_places_no_order(client, world, method):
    # given a guest at the preview, with the payment method chosen
    english(client)
    client.post(reverse("basket:add", kwargs={"pk": world["product"].pk}), {"quantity": 3})
    client.post(reverse("checkout:index"), {"username": "tamu@example.com", "options": "anonymous"})
    assert client.post(reverse("checkout:shipping-address"), address(world)).status_code == 302
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:payment-method"), {"method": method})

    # when the pesantren is suspended before the order is placed
    suspend(world)
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)

    # then
    assert_nothing_ordered(world)
    assert WHY in messages_of(response)


@pytest.mark.usefixtures("english_messages")
def test_placing_the_order_rechecks_the_pesantren_under_its_lock(world):
    # given: the factory fills a basket without asking availability, as a basket filled before would be
    suspend(world)

    # when
    with pytest.raises(UnableToPlaceOrder, match=WHY):
        place_order(items=[(world["product"], 1)], shipping_address=make_shipping_address(regions=world["regions"]))

    # then
    assert_nothing_ordered(world)


def test_the_business_checkout_places_no_order(client, world):
    english(client, world["buyer"])
    client.post(reverse("basket:add", kwargs={"pk": world["product"].pk}), {"quantity": 5})
    suspend(world)

    response = client.post(reverse("purchasing:checkout"), {**address(world), "payment_method": "card"})

    assert_nothing_ordered(world)
    assert WHY in response.content.decode()


def test_a_bulk_csv_is_refused_row_by_row(client, world):
    english(client, world["buyer"])
    suspend(world)

    response = client.post(
        reverse("purchasing:bulk-order"),
        {"source": "csv", "action": "place", "file": SimpleUploadedFile("p.csv", b"sku,quantity\nDODOL-1,5\n")},
    )

    assert response.status_code == 400
    assert WHY in response.content.decode()
    assert_nothing_ordered(world)


def test_a_checked_bulk_order_is_not_placed_once_the_pesantren_is_suspended(client, world):
    english(client, world["buyer"])
    client.post(
        reverse("purchasing:bulk-order"),
        {"source": "csv", "action": "place", "file": SimpleUploadedFile("p.csv", b"sku,quantity\nDODOL-1,5\n")},
    )
    suspend(world)

    response = client.post(reverse("purchasing:bulk-order-place"), {**address(world), "payment_method": "card"})

    assert response.status_code == 400
    assert WHY in response.content.decode()
    assert_nothing_ordered(world)


def test_ordering_a_past_order_again_adds_nothing(client, world):
    past = submit_purchase(
        company=world["company"],
        user=world["buyer"],
        items=[PurchaseItem(stockrecord=world["record"], quantity=4)],
        shipping_address=make_shipping_address(regions=world["regions"]),
        payment_method="card",
    ).order
    allocated = world["record"].__class__.objects.get(pk=world["record"].pk).num_allocated
    english(client, world["buyer"])
    suspend(world)

    url = reverse("purchasing:reorder", kwargs={"order_number": past.number})
    page = client.get(url)
    client.post(url, {"action": "all"})

    assert WHY in page.content.decode()
    assert not Basket.objects.filter(owner=world["buyer"], status="Open", lines__isnull=False).exists()
    assert Order.objects.count() == 1
    assert world["record"].__class__.objects.get(pk=world["record"].pk).num_allocated == allocated


def test_accepting_a_quote_places_no_order(client, world):
    rfq = make_rfq(company=world["company"], user=world["buyer"], seller=world["seller"])
    quote = make_quote(rfq=rfq, seller=world["seller"], stockrecord=world["record"])
    english(client, world["buyer"])
    suspend(world)

    response = client.post(
        reverse("quotes:accept", kwargs={"pk": rfq.pk, "quote_pk": quote.pk}),
        {**address(world), "payment_method": "bank_transfer"},
    )

    assert response.status_code == 400
    assert WHY in response.content.decode()
    assert_nothing_ordered(world)
