import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.test.factories import CategoryFactory

from api.tests.conftest import make_product
from sellers.models import SellerStatus
from tests.factories import make_seller

pytestmark = pytest.mark.django_db


def by_sku(response) -> dict:
    return {product["sku"]: product for product in response.json()["results"]}


def test_products_show_retail_price_tiers_moq_and_stock(world, client_a):
    response = client_a.get("/api/v1/products/")

    assert response.status_code == 200
    coffee = by_sku(response)["KOPI-250"]
    assert coffee == {
        "id": world["coffee"].pk,
        "title": "Kopi Arabika",
        "sku": "KOPI-250",
        "pesantren": "pp-al-falah",
        "pesantren_name": world["seller"].name,
        "unit": "pcs",
        "currency": "IDR",
        "retail_price": 25000,
        "price_tiers": [{"min_quantity": 10, "unit_price": 22000}, {"min_quantity": 50, "unit_price": 20000}],
        "moq": 10,
        "stock_available": 500,
    }
    assert client_a.get(f"/api/v1/products/{world['coffee'].pk}/").json() == coffee


def test_every_verified_company_sees_the_same_tiers(world, client_a, client_b):
    assert client_a.get("/api/v1/products/").json() == client_b.get("/api/v1/products/").json()


def test_hidden_products_and_unverified_pesantren_are_not_listed(world, client_a):
    hidden = make_product(world["seller"], sku="RAHASIA", title="Hidden")
    hidden.is_public = False
    hidden.save()
    suspended = make_seller(regions=world["regions"], status=SellerStatus.VERIFIED)
    other = make_product(suspended, sku="LAIN-1", title="Suspended pesantren's product")
    suspended.status = SellerStatus.SUSPENDED
    suspended.save()

    listed = by_sku(client_a.get("/api/v1/products/"))

    assert set(listed) == {"KOPI-250", "MADU-500"}
    assert client_a.get(f"/api/v1/products/{hidden.pk}/").status_code == 404
    assert client_a.get(f"/api/v1/products/{other.pk}/").status_code == 404


def test_products_can_be_searched_and_filtered(world, client_a):
    category = CategoryFactory(name="Minuman")
    world["coffee"].categories.add(category.add_child(name="Kopi"))
    elsewhere = make_seller(regions=world["regions"], slug="pp-darussalam")
    make_product(elsewhere, sku="KOPI-DS", title="Kopi Robusta")

    assert set(by_sku(client_a.get("/api/v1/products/", {"q": "kopi"}))) == {"KOPI-250", "KOPI-DS"}
    assert set(by_sku(client_a.get("/api/v1/products/", {"q": "madu-500"}))) == {"MADU-500"}
    assert set(by_sku(client_a.get("/api/v1/products/", {"pesantren": "pp-darussalam"}))) == {"KOPI-DS"}
    assert set(by_sku(client_a.get("/api/v1/products/", {"category": category.pk}))) == {"KOPI-250"}
    unknown = client_a.get("/api/v1/products/", {"category": 999999})
    assert unknown.status_code == 400 and "category" in unknown.json()


def test_products_are_paginated(world, client_a):
    page = client_a.get("/api/v1/products/", {"page_size": 1}).json()

    assert page["count"] == 2
    assert len(page["results"]) == 1
    assert page["next"] is not None


def test_the_product_list_takes_the_same_number_of_queries_whatever_its_length(world, client_a):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client_a.get("/api/v1/products/")
        assert response.status_code == 200
        return len(queries)

    count_queries()  # the first request of the minute also records the token's use
    few = count_queries()
    for index in range(8):
        make_product(world["seller"], sku=f"EXTRA-{index}", title=f"Extra {index}", tiers=[(10, 20000)], moq=5)
    many = count_queries()

    assert client_a.get("/api/v1/products/").json()["count"] == 10
    assert many == few
    assert few <= 10
