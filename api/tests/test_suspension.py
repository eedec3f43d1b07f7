"""The API's ways to a new order refuse a suspended pesantren's products: bulk orders and quote acceptance."""

import pytest
from oscar.core.loading import get_model

from api.tests.conftest import address_payload, bulk_order
from quotes.tests.helpers import make_quote, make_rfq
from sellers.services import seller_suspend

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
WHY = "is not taking orders at the moment."


def test_a_bulk_order_of_a_suspended_pesantren_is_refused(world, client_a):
    seller_suspend(seller=world["seller"], suspended_by=None, reason="Audit")

    response = bulk_order(client_a, world, items=[{"sku": "MADU-500", "quantity": 2}], key="bulk-1")

    assert response.status_code == 400
    assert WHY in str(response.json())
    assert not Order.objects.exists()
    record = world["honey"].stockrecords.get()
    assert not record.num_allocated


def test_accepting_a_quote_of_a_suspended_pesantren_is_refused(world, client_a):
    rfq = make_rfq(company=world["a"]["company"], user=world["a"]["approver"], seller=world["seller"], quantity=30)
    quote = make_quote(rfq=rfq, seller=world["seller"], stockrecord=world["coffee"].stockrecords.get())
    seller_suspend(seller=world["seller"], suspended_by=None, reason="Audit")

    response = client_a.post(
        f"/api/v1/rfqs/{rfq.pk}/quotes/{quote.pk}/accept/",
        {"shipping_address": address_payload(world["regions"]), "payment_method": "invoice"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="accept-1",
    )

    assert response.status_code == 400
    assert WHY in str(response.json())
    assert not Order.objects.exists()
