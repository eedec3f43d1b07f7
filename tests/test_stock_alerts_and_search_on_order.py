"""Orders reserve stock with conditional UPDATEs (no two can take the last unit), yet still do what
Oscar's StockRecord.allocate() sets off through post_save: low-stock alerts open and close, and the
product's search document follows its stock. For the consumer checkout's OrderCreator and for the
company (bulk) order path alike; stock returned on cancellation closes the alert again.
"""

import pytest
from oscar.core.loading import get_model

from fulfilment.services import order_expire_unpaid
from purchasing.ordering import PurchaseItem, submit_purchase
from search.models import ProductSearchDocument
from tests.factories import (
    make_company,
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)

pytestmark = pytest.mark.django_db

StockAlert = get_model("partner", "StockAlert")


@pytest.fixture
def search_index_on_commit() -> bool:
    return True  # the search document is updated by the real on-commit path


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    regions = make_region_tree()
    seller = make_seller(name="Pondok Al-Ikhlas", regions=regions)
    # indexed as the commit of the pesantren's product form would
    with django_capture_on_commit_callbacks(execute=True):
        product = make_seller_product(seller, title="Keripik Singkong", stock=10)
        record = product.stockrecords.get()
        record.low_stock_threshold = 5
        record.save()
    buyer = make_user()
    return {
        "regions": regions,
        "product": product,
        "record": record,
        "buyer": buyer,
        "company": make_company(members=[(buyer, "approver")]),
    }


def consumer_order(world, quantity):
    return place_order(
        items=[(world["product"], quantity)], shipping_address=make_shipping_address(regions=world["regions"])
    )


def company_order(world, quantity):
    return submit_purchase(
        company=world["company"],
        user=world["buyer"],
        items=[PurchaseItem(stockrecord=world["record"], quantity=quantity)],
        shipping_address=make_shipping_address(regions=world["regions"]),
        payment_method="bank_transfer",
    ).order


PLACE = {"consumer checkout": consumer_order, "company order": company_order}


def open_alerts(world):
    return list(StockAlert.objects.filter(stockrecord=world["record"], status=StockAlert.OPEN))


@pytest.mark.parametrize("place", PLACE.values(), ids=PLACE.keys())
def test_an_order_taking_stock_below_the_threshold_raises_a_low_stock_alert(world, place):
    # given 10 in stock, threshold 5: an order leaving 6 raises nothing
    place(world, 4)
    assert open_alerts(world) == []

    # when the next order leaves 4
    place(world, 2)

    # then
    [alert] = open_alerts(world)
    assert alert.threshold == 5


@pytest.mark.parametrize("place", PLACE.values(), ids=PLACE.keys())
def test_restocking_closes_the_alert(world, place):
    place(world, 7)
    [alert] = open_alerts(world)

    record = world["record"].__class__.objects.get(pk=world["record"].pk)
    record.num_in_stock = 40
    record.save()

    alert.refresh_from_db()
    assert alert.status == StockAlert.CLOSED and alert.date_closed is not None
    assert open_alerts(world) == []


@pytest.mark.parametrize("place", PLACE.values(), ids=PLACE.keys())
def test_stock_returned_by_cancelling_an_unpaid_order_closes_the_alert(world, place):
    order = place(world, 7)
    assert len(open_alerts(world)) == 1

    assert order_expire_unpaid(order_id=order.pk)

    world["record"].refresh_from_db()
    assert world["record"].num_allocated == 0
    assert open_alerts(world) == []


@pytest.mark.parametrize("place", PLACE.values(), ids=PLACE.keys())
def test_the_search_document_is_out_of_stock_once_the_last_unit_is_sold(
    world, place, django_capture_on_commit_callbacks
):
    assert ProductSearchDocument.objects.get(product=world["product"]).in_stock

    with django_capture_on_commit_callbacks(execute=True):
        place(world, 10)

    assert not ProductSearchDocument.objects.get(product=world["product"]).in_stock


def test_the_company_path_syncs_the_alerts_of_many_records_in_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from order.stock import stock_records_changed

    seller = world["record"].partner.seller
    records = []
    for index in range(6):
        record = make_seller_product(seller, title=f"Peci {index}", stock=3).stockrecords.get()
        record.low_stock_threshold = 5  # every one is below it
        record.save()
        records.append(record)
    StockAlert.objects.all().delete()

    def queries_for(some) -> int:
        with CaptureQueriesContext(connection) as captured:
            stock_records_changed(record_ids=[record.pk for record in some])
        return len(captured)

    assert queries_for(records[:1]) == queries_for(records[1:])
    assert StockAlert.objects.filter(status=StockAlert.OPEN).count() == 6
