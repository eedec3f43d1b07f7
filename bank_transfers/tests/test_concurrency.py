import threading

import pytest
from django.db import connection

from bank_transfers import services
from bank_transfers.models import BankTransfer
from bank_transfers.services import start_bank_transfer
from bank_transfers.tests.conftest import place_order
from tests.factories import make_region_tree, make_seller, make_seller_product


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_with_the_same_code_get_different_amounts_due(monkeypatch):
    # given four orders with the same total, and a picker that always offers the same code
    seller = make_seller(regions=make_region_tree())
    product = make_seller_product(seller, price="60000", stock=10)
    orders = [place_order([(product, 1)]) for _ in range(4)]
    monkeypatch.setattr(services, "pick_unique_code", lambda: 42)
    barrier = threading.Barrier(len(orders) * 2)
    errors = []

    def start(order):
        try:
            barrier.wait(timeout=10)
            start_bank_transfer(order=order)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    # when each order is started twice, all at once
    threads = [threading.Thread(target=start, args=(order,)) for order in orders for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then
    assert errors == []
    transfers = list(BankTransfer.objects.filter(order__in=orders))
    assert len(transfers) == 4
    assert len({t.amount_due for t in transfers}) == 4
    assert all(t.amount_due == t.amount + t.unique_code for t in transfers)
    assert 42 in {t.unique_code for t in transfers}
