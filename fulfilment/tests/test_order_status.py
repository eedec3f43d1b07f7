"""The customer's order status is derived from its pesantren parts, at every step of each part."""

import pytest
from django.conf import settings

from fulfilment.models import SellerOrderStatus
from fulfilment.order_status import ORDER_STATUS_LABELS, derive_order_status
from fulfilment.services import (
    order_payment_succeeded,
    seller_order_accept,
    seller_order_cancel,
    seller_order_complete,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

S = SellerOrderStatus


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([S.PENDING_PAYMENT, S.PENDING_PAYMENT], "Pending payment"),
        ([S.PAID, S.PAID], "Paid"),
        ([S.ACCEPTED, S.PAID], "Processing"),
        ([S.PACKED, S.ACCEPTED], "Processing"),
        ([S.SHIPPED, S.PAID], "Partly shipped"),
        ([S.SHIPPED, S.PACKED], "Partly shipped"),
        ([S.DELIVERED, S.ACCEPTED], "Partly shipped"),
        ([S.SHIPPED, S.SHIPPED], "Shipped"),
        ([S.SHIPPED, S.DELIVERED], "Shipped"),
        ([S.SHIPPED, S.CANCELLED], "Shipped"),
        ([S.DELIVERED, S.DELIVERED], "Delivered"),
        ([S.DELIVERED, S.COMPLETED], "Delivered"),
        ([S.COMPLETED, S.COMPLETED], "Completed"),
        ([S.COMPLETED, S.REFUNDED], "Completed"),
        ([S.CANCELLED, S.REFUNDED], "Cancelled"),
        ([S.CANCELLED], "Cancelled"),
        ([S.PENDING_PAYMENT, S.CANCELLED], "Pending payment"),
    ],
)
def test_the_order_status_follows_its_parts(parts, expected):
    assert derive_order_status(parts) == expected


def test_every_derived_status_has_a_label_and_a_place_in_oscars_pipeline():
    every_combination = {derive_order_status([a, b]) for a in S.values for b in S.values}
    assert every_combination == set(ORDER_STATUS_LABELS)
    assert set(settings.OSCAR_ORDER_STATUS_PIPELINE) == set(ORDER_STATUS_LABELS)
    for status, following in settings.OSCAR_ORDER_STATUS_PIPELINE.items():
        assert set(following) <= set(ORDER_STATUS_LABELS), status


@pytest.mark.django_db
def test_the_order_moves_with_each_pesantren_step_from_paid_to_completed():
    # given an order from two pesantren, paid
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    coffee = make_seller(name="Pesantren Kopi", regions=bandung)
    batik = make_seller(name="Pesantren Batik", regions=make_region_tree("32.05", "Kabupaten Garut"))
    order = place_order(
        items=[
            (make_seller_product(coffee, price="50000", stock=5), 1),
            (make_seller_product(batik, price="75000", stock=5), 2),
        ],
        shipping_address=make_shipping_address(regions=bandung),
    )
    order_payment_succeeded(order_id=order.pk, reference="pi_test")
    first, second = order.seller_orders.order_by("pk")
    staff = None

    def status():
        order.refresh_from_db()
        return order.status

    assert status() == "Paid"

    # when the pesantren work on their parts, the order's status follows
    seller_order_accept(seller_order=first, actor=staff)
    assert status() == "Processing"
    seller_order_pack(seller_order=first, actor=staff)
    seller_order_ship(seller_order=first, actor=staff, courier="JNE", tracking_number="JNE001")
    assert status() == "Partly shipped"
    seller_order_accept(seller_order=second, actor=staff)
    seller_order_pack(seller_order=second, actor=staff)
    seller_order_ship(seller_order=second, actor=staff, courier="SiCepat", tracking_number="SC002")
    assert status() == "Shipped"
    seller_order_deliver(seller_order=first, actor=staff)
    assert status() == "Shipped"
    seller_order_deliver(seller_order=second, actor=staff)
    assert status() == "Delivered"
    seller_order_complete(seller_order=first)
    assert status() == "Delivered"
    seller_order_complete(seller_order=second)
    assert status() == "Completed"


@pytest.mark.django_db
def test_a_cancelled_part_leaves_the_order_following_the_other():
    regions = make_region_tree()
    one, other = make_seller(regions=regions), make_seller(regions=regions)
    order = place_order(
        items=[(make_seller_product(one, stock=5), 1), (make_seller_product(other, stock=5), 1)],
        shipping_address=make_shipping_address(regions=regions),
    )
    order_payment_succeeded(order_id=order.pk)
    first, second = order.seller_orders.order_by("pk")

    seller_order_cancel(seller_order=first, actor=None, reason="Stok habis")
    order.refresh_from_db()
    assert order.status == "Paid"

    seller_order_accept(seller_order=second, actor=None)
    seller_order_pack(seller_order=second, actor=None)
    seller_order_ship(seller_order=second, actor=None, courier="JNE", tracking_number="JNE9")
    order.refresh_from_db()
    assert order.status == "Shipped"
