"""SellerOrders: splitting, money to the rupiah, the status machine, stock, ledger and beat jobs."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from fulfilment import tasks
from fulfilment.models import SellerOrder, SellerOrderEvent, SellerOrderStatus
from fulfilment.services import (
    TransitionNotAllowed,
    order_payment_succeeded,
    seller_order_accept,
    seller_order_cancel,
    seller_order_complete,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from payouts.models import LedgerEntry
from payouts.services import seller_balance
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

pytestmark = pytest.mark.django_db
S = SellerOrderStatus


@pytest.fixture
def world():
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    garut = make_region_tree("32.05", "Kabupaten Garut")
    coffee = make_seller(name="Pesantren Kopi Cibiru", regions=bandung)
    batik = make_seller(name="Pesantren Batik Garut", regions=garut, commission_rate=Decimal("0.0750"))
    return {
        "bandung": bandung,
        "coffee": coffee,
        "batik": batik,
        # 2 × 350 g of coffee = 700 g; 3 × 400 g of batik = 1,200 g.
        "kopi": make_seller_product(coffee, title="Kopi Arabika 250 g", price="150000", stock=10, weight_grams=350),
        "batik_tulis": make_seller_product(batik, title="Batik Tulis Garut", price="37500", stock=5, weight_grams=400),
    }


def place(world, kopi=2, batik=3, user=None):
    items = [(world["kopi"], kopi), (world["batik_tulis"], batik)]
    return place_order(
        items=[i for i in items if i[1]], shipping_address=make_shipping_address(regions=world["bandung"]), user=user
    )


def parts(order):
    return {so.seller.name: so for so in order.seller_orders.select_related("seller")}


def test_an_order_from_two_pesantren_splits_into_two_parts_exact_to_the_rupiah(world):
    order = place(world)

    coffee, batik = parts(order)["Pesantren Kopi Cibiru"], parts(order)["Pesantren Batik Garut"]
    # coffee ships within Kabupaten Bandung: 700 g → first kg only, Rp 10.000
    assert (coffee.subtotal, coffee.shipping_charge, coffee.commission) == (
        Decimal(300000),
        Decimal(10000),
        Decimal(15000),
    )
    assert coffee.payable_to_seller == Decimal(295000)
    # batik ships from Garut to Bandung, same province: 1,200 g → 15.000 + 8.000
    assert (batik.subtotal, batik.shipping_charge) == (Decimal(112500), Decimal(23000))
    assert batik.commission == Decimal(8438)  # 7.5 % of 112.500 = 8.437,5 → rounded half up
    assert order.total_incl_tax == coffee.total + batik.total == Decimal(445500)
    assert order.shipping_incl_tax == Decimal(33000)
    assert {so.status for so in order.seller_orders.all()} == {S.PENDING_PAYMENT}
    assert order.status == "Pending payment"
    assert [line.partner for line in coffee.lines()] == [world["coffee"].partner]


def test_placing_an_order_reserves_stock(world):
    place(world)

    record = world["batik_tulis"].stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (5, 3)


def test_an_order_for_more_than_is_in_stock_is_refused_and_creates_nothing(world):
    from oscar.apps.order.exceptions import UnableToPlaceOrder

    with pytest.raises(UnableToPlaceOrder):
        place(world, batik=6)

    assert SellerOrder.objects.count() == 0
    assert world["batik_tulis"].stockrecords.get().num_allocated in (0, None)


def test_payment_marks_every_part_paid_once_and_notifies_each_pesantren_and_the_customer(
    world, django_capture_on_commit_callbacks
):
    order = place(world)

    with django_capture_on_commit_callbacks(execute=True):
        assert order_payment_succeeded(order_id=order.pk, reference="pi_123") is True
    with django_capture_on_commit_callbacks(execute=True):
        assert order_payment_succeeded(order_id=order.pk, reference="pi_123") is False  # a replayed webhook

    order.refresh_from_db()
    assert order.status == "Paid"
    assert SellerOrderEvent.objects.filter(to_status=S.PAID).count() == 2
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([world["coffee"].owner.email, world["batik"].owner.email, "pembeli@example.com"])
    assert all(so.seller_notified_at for so in order.seller_orders.all())


def walk_to_completion(seller_order, actor=None):
    seller_order_accept(seller_order=seller_order, actor=actor)
    seller_order_pack(seller_order=seller_order, actor=actor)
    seller_order_ship(seller_order=seller_order, actor=actor, courier="JNE", tracking_number="JNE0012345678")
    seller_order_deliver(seller_order=seller_order, actor=actor)
    return seller_order_complete(seller_order=seller_order, actor=actor)


def test_each_pesantren_ships_and_completion_credits_its_ledger(world):
    order = place(world)
    order_payment_succeeded(order_id=order.pk)

    for seller_order in order.seller_orders.all():
        walk_to_completion(seller_order, actor=seller_order.seller.owner)

    order.refresh_from_db()
    assert order.status == "Completed"
    assert seller_balance(seller=world["coffee"]) == Decimal(295000)  # 300.000 − 15.000 + 10.000
    assert seller_balance(seller=world["batik"]) == Decimal(127062)  # 112.500 − 8.438 + 23.000
    record = world["batik_tulis"].stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (2, 0)
    coffee = parts(order)["Pesantren Kopi Cibiru"]
    assert (coffee.courier, coffee.tracking_number) == ("JNE", "JNE0012345678")
    assert [e.to_status for e in coffee.events.all()] == [
        S.PENDING_PAYMENT,
        S.PAID,
        S.ACCEPTED,
        S.PACKED,
        S.SHIPPED,
        S.DELIVERED,
        S.COMPLETED,
    ]


def test_completing_twice_credits_the_ledger_once(world):
    order = place(world, batik=0)
    order_payment_succeeded(order_id=order.pk)
    seller_order = walk_to_completion(order.seller_orders.get())

    with pytest.raises(TransitionNotAllowed):
        seller_order_complete(seller_order=seller_order)

    assert LedgerEntry.objects.filter(seller_order=seller_order).count() == 1


def test_shipping_before_payment_is_refused_with_a_clear_error(world):
    seller_order = place(world).seller_orders.first()

    with pytest.raises(TransitionNotAllowed, match=seller_order.number):
        seller_order_ship(seller_order=seller_order, actor=None, courier="JNE", tracking_number="X1")

    seller_order.refresh_from_db()
    assert seller_order.status == S.PENDING_PAYMENT
    assert seller_order.tracking_number == ""


def test_delivering_a_cancelled_order_is_refused(world):
    order = place(world)
    order_payment_succeeded(order_id=order.pk)
    seller_order = order.seller_orders.first()
    seller_order_cancel(seller_order=seller_order, actor=None, reason="Stok rusak")

    with pytest.raises(TransitionNotAllowed):
        seller_order_deliver(seller_order=seller_order, actor=None)

    seller_order.refresh_from_db()
    assert seller_order.status == S.CANCELLED


def test_shipping_needs_courier_and_tracking_number(world):
    order = place(world, batik=0)
    order_payment_succeeded(order_id=order.pk)
    seller_order = order.seller_orders.get()
    seller_order_accept(seller_order=seller_order, actor=None)
    seller_order_pack(seller_order=seller_order, actor=None)

    with pytest.raises(ValueError):
        seller_order_ship(seller_order=seller_order, actor=None, courier="JNE", tracking_number="  ")

    seller_order.refresh_from_db()
    assert seller_order.status == S.PACKED


def test_cancelling_a_part_releases_its_stock(world):
    order = place(world)
    order_payment_succeeded(order_id=order.pk)
    batik = parts(order)["Pesantren Batik Garut"]

    seller_order_cancel(seller_order=batik, actor=None, reason="Pesantren libur")

    assert world["batik_tulis"].stockrecords.get().num_allocated == 0
    assert world["kopi"].stockrecords.get().num_allocated == 2


def test_unpaid_orders_expire_and_release_stock_paid_ones_stay(world, settings):
    settings.MARKETPLACE_UNPAID_ORDER_TTL_MINUTES = 60
    old_unpaid = place(world, kopi=1, batik=1)
    old_paid = place(world, kopi=1, batik=1)
    order_payment_succeeded(order_id=old_paid.pk)
    fresh_unpaid = place(world, kopi=1, batik=1)
    type(old_unpaid).objects.filter(pk__in=[old_unpaid.pk, old_paid.pk]).update(
        date_placed=timezone.now() - timedelta(hours=2)
    )

    assert tasks.expire_unpaid_orders() == 1
    assert tasks.expire_unpaid_orders() == 0

    old_unpaid.refresh_from_db()
    assert old_unpaid.status == "Cancelled"
    assert {so.status for so in old_paid.seller_orders.all()} == {S.PAID}
    assert {so.status for so in fresh_unpaid.seller_orders.all()} == {S.PENDING_PAYMENT}
    assert world["batik_tulis"].stockrecords.get().num_allocated == 2


def test_delivered_orders_complete_automatically_after_the_configured_days(
    world, settings, django_capture_on_commit_callbacks
):
    settings.MARKETPLACE_AUTO_COMPLETE_AFTER_DAYS = 3
    order = place(world, batik=0)
    order_payment_succeeded(order_id=order.pk)
    seller_order = order.seller_orders.get()
    seller_order_accept(seller_order=seller_order, actor=None)
    seller_order_pack(seller_order=seller_order, actor=None)
    seller_order_ship(seller_order=seller_order, actor=None, courier="JNE", tracking_number="JNE1")
    seller_order_deliver(seller_order=seller_order, actor=None)

    assert tasks.complete_delivered_orders() == 0
    SellerOrder.objects.filter(pk=seller_order.pk).update(delivered_at=timezone.now() - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):  # each part's task is queued on commit
        assert tasks.complete_delivered_orders() == 1

    seller_order.refresh_from_db()
    assert seller_order.status == S.COMPLETED
    assert seller_balance(seller=world["coffee"]) == Decimal(295000)


def test_pesantren_are_reminded_once_of_orders_not_accepted_in_time(world, settings):
    order = place(world)
    order_payment_succeeded(order_id=order.pk)
    mail.outbox.clear()
    SellerOrder.objects.update(paid_at=timezone.now() - timedelta(hours=25))
    batik = parts(order)["Pesantren Batik Garut"]
    seller_order_accept(seller_order=batik, actor=None)

    assert tasks.remind_sellers_of_unaccepted_orders() == 1
    assert tasks.remind_sellers_of_unaccepted_orders() == 0
    assert [message.to for message in mail.outbox] == [[world["coffee"].owner.email]]
