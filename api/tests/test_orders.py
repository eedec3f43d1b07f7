import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.tests.conftest import bulk_order
from fulfilment.models import SellerOrder, SellerOrderStatus

pytestmark = pytest.mark.django_db


def test_an_order_shows_each_pesantren_shipment_with_its_tracking(world, client_a):
    number = bulk_order(client_a, world, method="invoice").json()["number"]
    SellerOrder.objects.filter(order__number=number).update(
        status=SellerOrderStatus.SHIPPED, courier="JNE", tracking_number="JNE123"
    )

    body = client_a.get(f"/api/v1/orders/{number}/").json()

    assert body["number"] == number
    assert body["lines"][0]["sku"] == "KOPI-250"
    (shipment,) = body["shipments"]
    assert shipment["status"] == "shipped"
    assert (shipment["courier"], shipment["tracking_number"]) == ("JNE", "JNE123")


def test_the_order_list_takes_the_same_number_of_queries_whatever_its_length(world, client_a):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get("/api/v1/orders/")
        assert response.status_code == 200
        return len(queries)

    bulk_order(client_a, world, method="invoice")
    bulk_order(client_a, world, method="bank_transfer")
    few = count_queries()
    bulk_order(
        client_a, world, method="card", items=[{"sku": "KOPI-250", "quantity": 10}, {"sku": "MADU-500", "quantity": 1}]
    )
    bulk_order(client_a, world, method="invoice")
    many = count_queries()

    assert client_a.get("/api/v1/orders/").json()["count"] == 4
    assert many == few
