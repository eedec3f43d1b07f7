import pytest
from django.urls import reverse

from sellers.models import Sector, SellerStatus
from sellers.services import seller_reinstate, seller_suspend
from tests.factories import make_region_tree, make_seller, make_seller_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    garut = make_region_tree("32.05", "Kabupaten Garut")
    return {
        "coffee_bandung": make_seller(name="Pesantren Kopi Cibiru", sector=Sector.DRINKS, regions=bandung),
        "food_bandung": make_seller(name="Pesantren Al-Ikhlas Soreang", sector=Sector.FOOD, regions=bandung),
        "food_garut": make_seller(name="Pesantren Darussalam Garut", sector=Sector.FOOD, regions=garut),
        "applied_garut": make_seller(name="Pesantren Baru Garut", status=SellerStatus.APPLIED, regions=garut),
        "bandung": bandung,
        "garut": garut,
    }


def directory_names(client, **params):
    response = client.get(reverse("sellers:directory"), params)
    assert response.status_code == 200
    return [seller.name for seller in response.context["sellers"]]


def test_directory_lists_only_verified_pesantren_by_name(client, world):
    assert directory_names(client) == [
        "Pesantren Al-Ikhlas Soreang",
        "Pesantren Darussalam Garut",
        "Pesantren Kopi Cibiru",
    ]


def test_directory_filters_by_kabupaten(client, world):
    assert directory_names(client, kabupaten="32.05") == ["Pesantren Darussalam Garut"]


def test_directory_filters_by_sector_and_kabupaten_together(client, world):
    assert directory_names(client, kabupaten="32.04", sector=Sector.FOOD) == ["Pesantren Al-Ikhlas Soreang"]


def test_directory_searches_by_name_case_insensitively(client, world):
    assert directory_names(client, q="kopi") == ["Pesantren Kopi Cibiru"]


def test_directory_ignores_unknown_filter_values(client, world):
    assert len(directory_names(client, kabupaten="99.99", sector="nonsense")) == 3


def test_suspension_hides_storefront_and_products_and_reinstating_restores_them(client, world):
    seller = world["food_garut"]
    product = make_seller_product(seller, title="Dodol Garut Asli")

    seller_suspend(seller=seller, suspended_by=None, reason="Izin edar kedaluwarsa")

    assert client.get(seller.get_absolute_url()).status_code == 404
    assert client.get(product.get_absolute_url()).status_code == 404
    assert "Dodol Garut Asli" not in client.get(reverse("search:search"), {"q": "dodol"}).content.decode()
    assert "Pesantren Darussalam Garut" not in directory_names(client)

    seller_reinstate(seller=seller, reinstated_by=None)

    assert client.get(product.get_absolute_url()).status_code == 200
    assert "Dodol Garut Asli" in client.get(reverse("search:search"), {"q": "dodol"}).content.decode()
