"""A worker killed in the middle of completing an order: the task comes back and completes it once."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from fulfilment.models import SellerOrder, SellerOrderStatus
from fulfilment.services import (
    order_payment_succeeded,
    seller_order_accept,
    seller_order_deliver,
    seller_order_pack,
    seller_order_ship,
)
from fulfilment.tasks import complete_seller_order
from payouts.models import LedgerEntry
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

# Tasks of a dead worker go back to the queue after 3 s instead of an hour, swept every second.
QUICK_REDELIVERY = {"CELERY_VISIBILITY_TIMEOUT": 3, "CELERY_UNACKED_RESTORE_INTERVAL": 1}


def wait_until(condition, timeout: float = 60, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {message}")


def a_worker_is_blocked_completing_an_order() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            " AND query LIKE 'SELECT %fulfilment_sellerorder%'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_completion_on_a_killed_worker_is_redelivered_and_credits_the_ledger_once(celery_worker_factory):
    # given a delivered part of a paid order
    regions = make_region_tree()
    seller = make_seller(regions=regions)
    product = make_seller_product(seller, price="150000", stock=3)
    order = place_order(items=[(product, 1)], shipping_address=make_shipping_address(regions=regions))
    order_payment_succeeded(order_id=order.pk)
    seller_order = order.seller_orders.get()
    for step in (seller_order_accept, seller_order_pack):
        step(seller_order=seller_order, actor=None)
    seller_order_ship(seller_order=seller_order, actor=None, courier="JNE", tracking_number="JNE42")
    seller_order_deliver(seller_order=seller_order, actor=None)
    SellerOrder.objects.filter(pk=seller_order.pk).update(delivered_at=timezone.now() - timedelta(days=5))

    # and a worker that has sent the payment emails, then takes the completion task and is stuck
    # inside it, because we hold the row's lock
    first = celery_worker_factory(**QUICK_REDELIVERY)
    first.wait_for_messages(2)  # the pesantren's and the customer's payment emails
    from django.db import connections

    locker = connections.create_connection("default")
    try:
        locker.set_autocommit(False)
        with locker.cursor() as cursor:
            cursor.execute("SELECT id FROM fulfilment_sellerorder WHERE id = %s FOR UPDATE", [seller_order.pk])
        complete_seller_order.delay(seller_order.pk)
        wait_until(a_worker_is_blocked_completing_an_order, message="the worker to block inside the task")

        # when that worker is killed mid-task, before it could acknowledge it
        first.kill()
    finally:
        locker.rollback()
        locker.close()
    assert SellerOrder.objects.get(pk=seller_order.pk).status == SellerOrderStatus.DELIVERED

    # then a new worker is handed the task again and completes the order
    second = celery_worker_factory(**QUICK_REDELIVERY)
    wait_until(
        lambda: SellerOrder.objects.get(pk=seller_order.pk).status == SellerOrderStatus.COMPLETED,
        message="the redelivered task to complete the order",
    )

    second.wait_for_tasks_finished(complete_seller_order.name, 1)

    # and a duplicate delivery of the same task, once the worker has run it, changes nothing
    complete_seller_order.delay(seller_order.pk)
    second.wait_for_tasks_finished(complete_seller_order.name, 2)
    seller_order.refresh_from_db()
    assert seller_order.events.filter(to_status=SellerOrderStatus.COMPLETED).count() == 1
    credits = LedgerEntry.objects.filter(seller_order=seller_order)
    assert [entry.amount for entry in credits] == [seller_order.payable_to_seller]
