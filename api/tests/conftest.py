import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import api_token_create
from tests.factories import make_company, make_region_tree, make_seller, make_seller_product, make_user
from wholesale.services import price_tiers_set, wholesale_moq_set


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Throttle counts live in the cache; a count left by another test (or run) must not leak in.
    cache.clear()
    yield
    cache.clear()


def make_product(seller, *, sku: str, title: str, price: str = "25000", stock: int = 500, tiers=(), moq: int = 1):
    product = make_seller_product(seller, title=title, price=price, stock=stock)
    record = product.stockrecords.get()
    record.partner_sku = sku
    record.save()
    if tiers:
        price_tiers_set(stockrecord=record, tiers=list(tiers))
    if moq > 1:
        wholesale_moq_set(stockrecord=record, moq=moq)
    return product


def client_for(secret: str | None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def address_payload(regions: dict) -> dict:
    return {
        "name": "Siti Aminah",
        "phone": "081234567890",
        "line1": "Jl. Merdeka No. 5",
        "kabupaten": regions["kabupaten"].code,
        "kecamatan": regions["kecamatan"][0].code,
        "desa": regions["desa"][0].code,
    }


@pytest.fixture
def world(db):
    """Two verified companies, each with an approver and a token, and a pesantren selling two products."""
    regions = make_region_tree()
    seller = make_seller(regions=regions, slug="pp-al-falah")
    coffee = make_product(seller, sku="KOPI-250", title="Kopi Arabika", tiers=[(10, 22000), (50, 20000)], moq=10)
    honey = make_product(seller, sku="MADU-500", title="Madu Hutan", price="60000", stock=40)
    companies = {}
    for name in ("a", "b"):
        approver = make_user()
        company = make_company(members=[(approver, "approver")], credit_limit=50_000_000)
        token, secret = api_token_create(company=company, created_by=approver, name=f"ERP {name}")
        companies[name] = {"company": company, "approver": approver, "token": token, "secret": secret}
    return {
        "regions": regions,
        "seller": seller,
        "coffee": coffee,
        "honey": honey,
        "a": companies["a"],
        "b": companies["b"],
    }


@pytest.fixture
def client_a(world):
    return client_for(world["a"]["secret"])


@pytest.fixture
def client_b(world):
    return client_for(world["b"]["secret"])


def bulk_order(client, world, *, items=None, method: str = "bank_transfer", key: str | None = None, **extra):
    payload = {
        "items": items if items is not None else [{"sku": "KOPI-250", "quantity": 20}],
        "shipping_address": address_payload(world["regions"]),
        "payment_method": method,
        **extra,
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/bulk-orders/", payload, format="json", **headers)
