"""A client that retries before the first attempt has answered must still get one order, on PostgreSQL."""

import threading

import pytest
from django.db import connection
from oscar.core.loading import get_model

from api.tests.conftest import bulk_order, client_for

Order = get_model("order", "Order")
ATTEMPTS = 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_idempotency_key_place_one_order(world):
    start = threading.Barrier(ATTEMPTS)
    outcomes = []

    def attempt():
        try:
            start.wait(timeout=30)
            response = bulk_order(client_for(world["a"]["secret"]), world, key="po-42-attempt")
            outcomes.append((response.status_code, response.json().get("number")))
        except Exception as error:  # a deadlock or an integrity error must fail the test loudly
            outcomes.append((repr(error), None))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _index in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    order = Order.objects.get()
    assert outcomes == [(201, order.number)] * ATTEMPTS
    assert order.lines.get().quantity == 20
