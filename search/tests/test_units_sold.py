"""Units sold in the search document count sales as the dashboards do: paid parts, not cancelled ones."""

import pytest

from dashboard.sales import top_products
from fulfilment.services import (
    order_payment_succeeded,
    seller_order_accept,
    seller_order_cancel,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from search.documents import build_documents
from search.models import ProductSearchDocument
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return make_region_tree()


@pytest.fixture
def seller(regions):
    return make_seller(name="Pesantren Al-Hikmah", regions=regions)


def _order(product, quantity, regions):
    return place_order(items=[(product, quantity)], shipping_address=make_shipping_address(regions=regions))


def _paid(product, quantity, regions):
    order = _order(product, quantity, regions)
    order_payment_succeeded(order_id=order.pk)
    return order.seller_orders.get()


def _shipped(seller_order):
    seller_order_accept(seller_order=seller_order, actor=None)
    seller_order_pack(seller_order=seller_order, actor=None)
    seller_order_ship(seller_order=seller_order, actor=None, courier="JNE", tracking_number="JNE1")
    return seller_order


def _units_sold(product) -> int:
    (document,) = build_documents([product.pk])
    return document["units_sold"]


def test_unpaid_and_cancelled_orders_do_not_count_paid_shipped_and_delivered_do(seller, regions):
    # given a product with an unpaid order (1), a paid then cancelled one (10),
    product = make_seller_product(seller, title="Madu Hutan", stock=100)
    _order(product, 1, regions)
    seller_order_cancel(seller_order=_paid(product, 10, regions), actor=None, reason="Stok rusak")
    # and a paid (2), a shipped (3) and a delivered (4) one
    _paid(product, 2, regions)
    _shipped(_paid(product, 3, regions))
    seller_order_deliver(seller_order=_shipped(_paid(product, 4, regions)), actor=None)

    # when its search document is built
    units_sold = _units_sold(product)

    # then only the sold parts count, the same number the pesantren's dashboard shows
    assert units_sold == 2 + 3 + 4
    assert [row["quantity"] for row in top_products(seller=seller)] == [units_sold]


def test_variants_sold_count_towards_their_parent_only_once_paid(seller, regions):
    from oscar.test.factories import create_product

    parent = create_product(title="Gamis", structure="parent")
    child = create_product(title="Gamis M", structure="child", parent=parent)
    record = make_seller_product(seller, stock=20).stockrecords.get()
    record.product = child
    record.save()
    order = _order(child, 2, regions)
    assert _units_sold(parent) == 0

    order_payment_succeeded(order_id=order.pk)

    assert _units_sold(parent) == 2


def test_the_indexed_document_follows_payment_and_cancellation(seller, regions, django_capture_on_commit_callbacks):
    # given an unpaid order of 5
    product = make_seller_product(seller, title="Kopi Gayo", stock=50)
    order = _order(product, 5, regions)
    assert ProductSearchDocument.objects.get(product=product).units_sold == 0

    # when it is paid (and the paid-order task runs once the payment commits), the index counts it
    with django_capture_on_commit_callbacks(execute=True):
        order_payment_succeeded(order_id=order.pk)
    assert ProductSearchDocument.objects.get(product=product).units_sold == 5

    # and when it is cancelled, the index stops counting it
    seller_order_cancel(seller_order=order.seller_orders.get(), actor=None, reason="Pembeli membatalkan")
    assert ProductSearchDocument.objects.get(product=product).units_sold == 0
