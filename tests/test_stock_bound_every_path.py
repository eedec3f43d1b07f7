"""No way to an order takes more than the stock: each refuses, says why, and reserves nothing.

The probe behind issue 16.6 set a basket line to 100,000 units of a product with less stock: the
basket page refused it, and the order placed afterwards held the quantity the line had before (the
refused change is never saved), not 100,000. These tests pin that down and try every other entry:
adding to the basket twice, a basket merged at login, stock sold elsewhere before checkout, the order
placement itself, the business checkout, bulk orders (CSV, quick-order grid, adding to the basket, the
place-now page), accepting a quote and the API's bulk orders.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from api.services import api_token_create
from api.tests.conftest import address_payload, client_for
from purchasing.models import CompanyOrder, PurchaseRequest
from purchasing.ordering import PurchaseItem, submit_purchase
from quotes.tests.helpers import make_quote, make_rfq
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
OrderLine = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")
STOCK = 10
TOO_MANY = 100_000


@pytest.fixture
def world():
    regions = make_region_tree()
    seller = make_seller(name="Pondok Al-Ikhlas", regions=regions)
    product = make_seller_product(seller, title="Dodol Garut", price="30000", stock=STOCK)
    record = product.stockrecords.get()
    record.partner_sku = "DODOL-1"
    record.save()
    buyer = make_user()
    company = make_company(members=[(buyer, "approver")], credit_limit=50_000_000)
    return {
        "regions": regions,
        "seller": seller,
        "product": product,
        "record": record,
        "buyer": buyer,
        "company": company,
    }


def english(client, user=None):
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def record_of(world):
    return StockRecord.objects.get(pk=world["record"].pk)


def assert_stock_never_oversold(world):
    record = record_of(world)
    assert record.num_in_stock >= 0
    assert (record.num_allocated or 0) <= record.num_in_stock
    ordered = sum(OrderLine.objects.filter(stockrecord=record).values_list("quantity", flat=True))
    assert ordered <= STOCK
    assert ordered == (record.num_allocated or 0)


def assert_nothing_ordered(world):
    assert not Order.objects.exists()
    assert not CompanyOrder.objects.exists() and not PurchaseRequest.objects.exists()
    assert not record_of(world).num_allocated


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"]) if response.context else ""


def add_to_basket(client, world, quantity):
    return client.post(reverse("basket:add", kwargs={"pk": world["product"].pk}), {"quantity": quantity}, follow=True)


def basket_update(client, quantity):
    formset = client.get(reverse("basket:summary")).context["formset"]
    management = formset.management_form.initial
    data = {formset.add_prefix(name): value for name, value in management.items()}
    form = formset.forms[0]
    data.update({form.add_prefix("id"): form.instance.pk, form.add_prefix("quantity"): quantity})
    return client.post(reverse("basket:summary"), data, follow=True)


def open_basket_quantity(world, **owner) -> int:
    return Basket.objects.get(status="Open", **owner).lines.get().quantity


def consumer_checkout(client, world, method="bank_transfer"):
    """A guest's walk from the basket to placing the order; the last response."""
    client.post(reverse("checkout:index"), {"username": "tamu@example.com", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), shipping_address_data(regions=world["regions"]))
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:payment-method"), {"method": method})
    return client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)


# --- the basket ---------------------------------------------------------------------------------


def test_setting_a_basket_line_above_the_stock_is_refused_and_the_line_keeps_its_quantity(client, world):
    english(client)
    add_to_basket(client, world, 2)

    response = basket_update(client, TOO_MANY)

    assert f"a maximum of {STOCK} can be bought" in response.content.decode()
    assert open_basket_quantity(world) == 2


def test_the_probe_the_order_after_a_refused_update_holds_the_quantity_the_line_had(client, world):
    # given the probe's steps: a line of 2, then 100,000 refused on the basket page
    english(client)
    add_to_basket(client, world, 2)
    basket_update(client, TOO_MANY)

    # when checking out anyway
    consumer_checkout(client, world)

    # then an order is placed, but for the 2 units the basket held
    order = Order.objects.get()
    assert list(order.lines.values_list("quantity", flat=True)) == [2]
    assert record_of(world).num_allocated == 2
    assert_stock_never_oversold(world)


def test_adding_to_the_basket_twice_cannot_go_past_the_stock(client, world):
    english(client)
    add_to_basket(client, world, 6)

    response = add_to_basket(client, world, 6)

    assert f"a maximum of {STOCK} can be bought" in messages_of(response)
    assert open_basket_quantity(world) == 6


@pytest.mark.parametrize(
    "quantity, why",
    [
        (STOCK + 1, f"a maximum of {STOCK} can be bought"),
        (TOO_MANY, "not able to ship more than 10000 items in one order"),
    ],
)
def test_adding_more_than_the_stock_at_once_is_refused(client, world, quantity, why):
    english(client)

    response = add_to_basket(client, world, quantity)

    assert why in messages_of(response)
    assert not Basket.objects.filter(lines__isnull=False).exists()


# --- the consumer checkout ----------------------------------------------------------------------


def test_a_basket_merged_at_login_takes_the_larger_quantity_not_the_sum(client, world):
    # given a shopper's saved basket of 6, and 8 added as a guest (6 + 8 would be over the 10 in stock)
    shopper = make_user()
    english(client, shopper)
    add_to_basket(client, world, 6)
    client.logout()
    english(client)
    add_to_basket(client, world, 8)

    # when Oscar's basket middleware merges the guest's basket into the shopper's on the next request
    client.force_login(shopper)
    client.get(reverse("basket:summary"))

    # then the line holds 8, and that is what the checkout orders
    assert open_basket_quantity(world, owner=shopper) == 8
    consumer_checkout(client, world)
    assert list(Order.objects.get().lines.values_list("quantity", flat=True)) == [8]
    assert_stock_never_oversold(world)


@pytest.mark.parametrize("method", ["card", "bank_transfer"])
def test_stock_sold_elsewhere_before_the_order_is_placed_is_refused_at_checkout(client, world, method):
    english(client)
    add_to_basket(client, world, 8)
    StockRecord.objects.filter(pk=world["record"].pk).update(num_allocated=5)  # another buyer took 5

    response = consumer_checkout(client, world, method)

    assert "a maximum of 5 can be bought" in messages_of(response)
    assert not Order.objects.exists()
    assert record_of(world).num_allocated == 5


@pytest.mark.usefixtures("english_messages")
def test_placing_the_order_refuses_more_than_the_stock_even_for_a_basket_never_checked(world):
    # the factory fills the basket without asking availability: the reservation is the last guard
    with pytest.raises(UnableToPlaceOrder, match="no longer in stock in the quantity you asked for"):
        place_order(
            items=[(world["product"], TOO_MANY)], shipping_address=make_shipping_address(regions=world["regions"])
        )

    assert_nothing_ordered(world)


# --- business buyers ----------------------------------------------------------------------------


def test_the_business_checkout_refuses_a_basket_above_the_stock(client, world):
    english(client, world["buyer"])
    add_to_basket(client, world, 8)
    Basket.objects.get(owner=world["buyer"]).lines.update(quantity=TOO_MANY)  # as a merge could leave it

    response = client.post(
        reverse("purchasing:checkout"), {**shipping_address_data(regions=world["regions"]), "payment_method": "invoice"}
    )

    assert "a maximum of 10 can be bought" in response.content.decode()
    assert_nothing_ordered(world)


def bulk_csv(client, text: str, action: str):
    return client.post(
        reverse("purchasing:bulk-order"),
        {"source": "csv", "action": action, "file": SimpleUploadedFile("order.csv", text.encode())},
    )


@pytest.mark.parametrize("action", ["place", "basket"])
def test_a_bulk_csv_above_the_stock_is_refused(client, world, action):
    english(client, world["buyer"])

    response = bulk_csv(client, f"sku,quantity\nDODOL-1,{TOO_MANY}\n", action)

    assert response.status_code == 400
    assert f"Only {STOCK} in stock." in response.content.decode()
    assert_nothing_ordered(world)
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_bulk_rows_of_one_product_are_bounded_together(client, world):
    english(client, world["buyer"])

    response = bulk_csv(client, "sku,quantity\nDODOL-1,6\nDODOL-1,6\n", "place")

    assert response.status_code == 400
    assert f"Only {STOCK} in stock." in response.content.decode()
    assert_nothing_ordered(world)


def test_bulk_rows_added_to_a_basket_count_what_it_already_holds(client, world):
    english(client, world["buyer"])
    add_to_basket(client, world, 6)

    response = bulk_csv(client, "sku,quantity\nDODOL-1,6\n", "basket")

    assert response.status_code == 400
    assert "Only 10 in stock, and your basket already holds 6." in response.content.decode()
    assert open_basket_quantity(world, owner=world["buyer"]) == 6


def test_the_quick_order_grid_above_the_stock_is_refused(client, world):
    english(client, world["buyer"])
    page = client.get(reverse("purchasing:bulk-order")).context["formset"]
    data = {page.add_prefix(name): value for name, value in page.management_form.initial.items()}
    data.update(
        {"action": "place", page.forms[0].add_prefix("sku"): "DODOL-1", page.forms[0].add_prefix("quantity"): TOO_MANY}
    )

    response = client.post(reverse("purchasing:bulk-order"), data)

    assert response.status_code == 400
    assert f"Only {STOCK} in stock." in response.content.decode()
    assert_nothing_ordered(world)


def test_a_checked_bulk_order_is_refused_when_the_stock_went_meanwhile(client, world):
    english(client, world["buyer"])
    bulk_csv(client, "sku,quantity\nDODOL-1,8\n", "place")
    StockRecord.objects.filter(pk=world["record"].pk).update(num_allocated=5)

    response = client.post(
        reverse("purchasing:bulk-order-place"),
        {**shipping_address_data(regions=world["regions"]), "payment_method": "invoice"},
    )

    assert response.status_code == 400
    assert "Only 5 in stock." in response.content.decode()
    assert not Order.objects.exists()
    assert record_of(world).num_allocated == 5


@pytest.mark.usefixtures("english_messages")
def test_a_company_purchase_above_the_stock_is_refused_by_the_service(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="a maximum of 10 can be bought"):
        submit_purchase(
            company=world["company"],
            user=world["buyer"],
            items=[PurchaseItem(stockrecord=world["record"], quantity=TOO_MANY)],
            shipping_address=make_shipping_address(regions=world["regions"]),
            payment_method="invoice",
        )

    assert_nothing_ordered(world)


def test_accepting_a_quote_for_more_than_the_stock_left_is_refused(client, world):
    # given a quote for 8 of the catalogue product, then 5 sold to someone else
    rfq = make_rfq(company=world["company"], user=world["buyer"], seller=world["seller"], quantity=8)
    quote = make_quote(rfq=rfq, seller=world["seller"], stockrecord=world["record"])
    StockRecord.objects.filter(pk=world["record"].pk).update(num_allocated=5)
    english(client, world["buyer"])

    response = client.post(
        reverse("quotes:accept", kwargs={"pk": rfq.pk, "quote_pk": quote.pk}),
        {**shipping_address_data(regions=world["regions"]), "payment_method": "bank_transfer"},
    )

    assert response.status_code == 400
    assert "a maximum of 5 can be bought" in response.content.decode()
    assert not Order.objects.exists()
    assert record_of(world).num_allocated == 5


def test_an_api_bulk_order_above_the_stock_is_refused(world):
    _token, secret = api_token_create(company=world["company"], created_by=world["buyer"], name="ERP")

    response = client_for(secret).post(
        "/api/v1/bulk-orders/",
        {
            "items": [{"sku": "DODOL-1", "quantity": TOO_MANY}],
            "shipping_address": address_payload(world["regions"]),
            "payment_method": "invoice",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="too-many",
    )

    assert response.status_code == 400
    assert f"Only {STOCK} in stock." in str(response.json())
    assert_nothing_ordered(world)
