import pytest
from django.contrib.auth.models import Permission
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from bank_transfers.services import start_bank_transfer
from tests.factories import make_region_tree, make_seller, make_seller_product, make_user

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")


def place_order(items, *, user=None, guest_email="tamu@example.com"):
    """An Oscar order for [(product, quantity)], placed the real way so it is split per pesantren."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    extra = {} if user else {"guest_email": guest_email}
    return create_order(basket=basket, user=user, **extra)


@pytest.fixture
def regions(db):
    return make_region_tree()


@pytest.fixture
def two_sellers(regions):
    return make_seller(regions=regions), make_seller(regions=regions)


@pytest.fixture
def customer(db):
    return make_user(email="pembeli@example.com")


@pytest.fixture
def order_from_two_sellers(two_sellers, customer):
    """Rp 150.000 in goods: 2 × 50.000 from one pesantren, 1 × 50.000 from another."""
    first, second = two_sellers
    rice = make_seller_product(first, title="Beras Organik", price="50000", stock=5)
    honey = make_seller_product(second, title="Madu Hutan", price="50000", stock=5)
    return place_order([(rice, 2), (honey, 1)], user=customer)


@pytest.fixture
def transfer(order_from_two_sellers):
    return start_bank_transfer(order=order_from_two_sellers)


@pytest.fixture
def reviewer(db):
    user = make_user(email="keuangan@example.com", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="review_transfer", content_type__app_label="bank_transfers")
    )
    return user
