"""A small programme world with known numbers: two kabupaten, pesantren in every status, paid sales."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

from fulfilment.services import order_payment_succeeded
from sellers.models import Sector, SellerStatus
from tests.factories import (
    make_region_tree,
    make_seller,
    make_seller_product,
    make_shipping_address,
    make_user,
    place_order,
)


def in_kecamatan(regions: dict, index: int) -> dict:
    """The region tree with its `index`-th kecamatan first, where make_seller puts the pesantren."""
    return {**regions, "kecamatan": [regions["kecamatan"][index]], "desa": [regions["desa"][index]]}


@pytest.fixture
def world():
    bandung = make_region_tree("32.04", "Kabupaten Bandung", kecamatan=3)
    garut = make_region_tree("32.05", "Kabupaten Garut", kecamatan=2)
    # Bandung: one selling through a paid order only (its stock is all allocated), one verified
    # without products, one application still waiting in a third kecamatan.
    kopi = make_seller(name="Pesantren Kopi", sector=Sector.FOOD, regions=in_kecamatan(bandung, 0))
    anyaman = make_seller(name="Pesantren Anyaman", sector=Sector.CRAFTS, regions=in_kecamatan(bandung, 1))
    pending = make_seller(name="Pesantren Baru", status=SellerStatus.APPLIED, regions=in_kecamatan(bandung, 2))
    # Garut: one selling from stock, one suspended, one rejected in its second kecamatan.
    batik = make_seller(name="Pesantren Batik", sector=Sector.FASHION, regions=in_kecamatan(garut, 0))
    suspended = make_seller(
        name="Pesantren Ditangguhkan",
        sector=Sector.FASHION,
        status=SellerStatus.SUSPENDED,
        regions=in_kecamatan(garut, 0),
    )
    rejected = make_seller(name="Pesantren Ditolak", status=SellerStatus.REJECTED, regions=in_kecamatan(garut, 1))

    coffee = make_seller_product(kopi, title="Kopi Arabika", price="150000", stock=2)
    cloth = make_seller_product(batik, title="Kain Batik", price="90000", stock=5)
    address = make_shipping_address(regions=bandung)
    paid_coffee = place_order(items=[(coffee, 2)], shipping_address=address)
    paid_cloth = place_order(items=[(cloth, 1)], shipping_address=address)
    place_order(items=[(cloth, 3)], shipping_address=address)  # never paid: no sale
    order_payment_succeeded(order_id=paid_coffee.pk)
    order_payment_succeeded(order_id=paid_cloth.pk)
    return {
        "bandung": bandung,
        "garut": garut,
        "kopi": kopi,
        "anyaman": anyaman,
        "pending": pending,
        "batik": batik,
        "suspended": suspended,
        "rejected": rejected,
    }


@pytest.fixture
def officer():
    user = make_user("petugas@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_programme", content_type__app_label="programme"))
    return user


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
