import pytest
from django.utils import translation

from fulfilment.services import (
    order_payment_succeeded,
    seller_order_accept,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)


@pytest.fixture(autouse=True)
def _english_messages():
    """The service tests match the English msgids; without this they depend on which test ran before."""
    with translation.override("en"):
        yield


def deliver(seller_order):
    """Walk a paid SellerOrder through the pesantren's real actions up to delivered."""
    actor = seller_order.seller.owner
    seller_order = seller_order_accept(seller_order=seller_order, actor=actor)
    seller_order = seller_order_pack(seller_order=seller_order, actor=actor)
    seller_order = seller_order_ship(seller_order=seller_order, actor=actor, courier="JNE", tracking_number="JN123")
    return seller_order_deliver(seller_order=seller_order, actor=actor)


def buy(*, buyer, items, regions):
    """Place and pay an order; returns it with each pesantren's part by seller id."""
    order = place_order(items=items, shipping_address=make_shipping_address(regions=regions), user=buyer)
    order_payment_succeeded(order_id=order.pk)
    return order, {so.seller_id: so for so in order.seller_orders.all()}


@pytest.fixture
def world(db):
    """A customer's paid order from two pesantren: the coffee part delivered, the batik part not yet."""
    regions = make_region_tree()
    coffee = make_seller(name="Pesantren Kopi Cibiru", regions=regions)
    batik = make_seller(name="Pesantren Batik Garut", regions=regions)
    kopi = make_seller_product(coffee, title="Kopi Arabika", price="150000")
    kain = make_seller_product(batik, title="Kain Batik Tulis", price="90000")
    buyer = make_user("siti@example.com", first_name="Siti")
    order, parts = buy(buyer=buyer, items=[(kopi, 1), (kain, 1)], regions=regions)
    deliver(parts[coffee.pk])
    lines = {line.product_id: line for line in order.lines.select_related("order")}
    return {
        "regions": regions,
        "coffee": coffee,
        "batik": batik,
        "kopi": kopi,
        "kain": kain,
        "buyer": buyer,
        "order": order,
        "kopi_line": lines[kopi.pk],
        "kain_line": lines[kain.pk],
        "parts": parts,
    }
