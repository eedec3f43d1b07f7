"""Twenty customers check out the last five units at once, on PostgreSQL."""

import threading

import pytest
from django.db import connection
from oscar.apps.order.exceptions import UnableToPlaceOrder

from fulfilment.models import SellerOrder
from tests.factories import make_region_tree, make_seller, make_seller_product, make_shipping_address, place_order

BUYERS = 20
IN_STOCK = 5


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_checkouts_for_five_in_stock_sell_exactly_five():
    # given a product with 5 in stock and 20 customers ready with their own address
    regions = make_region_tree()
    product = make_seller_product(make_seller(regions=regions), title="Sambal Roa", stock=IN_STOCK)
    addresses = [make_shipping_address(regions=regions, name=f"Pembeli {n}") for n in range(BUYERS)]
    start = threading.Barrier(BUYERS)
    outcomes = []

    def buy(address):
        try:
            start.wait(timeout=30)
            place_order(items=[(product, 1)], shipping_address=address, email=f"{address.first_name}@example.com")
            outcomes.append("bought")
        except UnableToPlaceOrder:
            outcomes.append("refused")
        except Exception as error:  # anything else (a deadlock, say) must fail the test loudly
            outcomes.append(repr(error))
        finally:
            connection.close()

    # when they all place their order at the same moment
    threads = [threading.Thread(target=buy, args=(address,)) for address in addresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then exactly five succeed, the rest are told it is sold out, and stock never goes negative
    assert sorted(outcomes) == ["bought"] * IN_STOCK + ["refused"] * (BUYERS - IN_STOCK)
    record = product.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (IN_STOCK, IN_STOCK)
    assert record.net_stock_level == 0
    assert SellerOrder.objects.count() == IN_STOCK
