import itertools
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from fulfilment.models import SellerOrder, SellerOrderStatus
from payouts.models import LedgerEntry, LedgerEntryKind
from tests.factories import make_region_tree, make_seller

Order = get_model("order", "Order")
_numbers = itertools.count(1)

BANK = {
    "bank_name": "Bank Syariah Indonesia",
    "bank_account_number": "7123456789",
    "bank_account_holder": "Yayasan Al-Ikhlas",
}


@pytest.fixture
def regions(db):
    return make_region_tree()


@pytest.fixture
def seller(regions):
    return make_seller(regions=regions, name="Pondok Pesantren Al-Ikhlas", **BANK)


def make_seller_order(seller, *, subtotal="100000", shipping="15000", rate="0.05", status=SellerOrderStatus.DELIVERED):
    """A pesantren's part of an order, straight into the wanted status (the order is a bare Oscar Order)."""
    number = next(_numbers)
    subtotal, shipping, rate = Decimal(subtotal), Decimal(shipping), Decimal(rate)
    order = Order.objects.create(
        number=f"PP{number:06d}",
        currency="IDR",
        total_incl_tax=subtotal + shipping,
        total_excl_tax=subtotal + shipping,
        shipping_incl_tax=shipping,
        shipping_excl_tax=shipping,
        status="Paid",
    )
    return SellerOrder.objects.create(
        order=order,
        seller=seller,
        number=f"{order.number}-1",
        status=status,
        subtotal=subtotal,
        shipping_charge=shipping,
        commission_rate=rate,
        commission=(subtotal * rate).quantize(Decimal("1")),
    )


def credit(seller, amount, key=None) -> LedgerEntry:
    """A bare ledger credit, for tests about what happens to a balance rather than how it was earned."""
    return LedgerEntry.objects.create(
        seller=seller,
        kind=LedgerEntryKind.ADJUSTMENT,
        amount=Decimal(amount),
        idempotency_key=key or f"test-credit-{next(_numbers)}",
    )
