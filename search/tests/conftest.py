"""The backend-selecting fixture for the contract suite (search/tests/contract.py).

`search_backend` is parametrised over every backend: the database backend always (on its
PostgreSQL and on its portable SQLite code path), Elasticsearch
only when ELASTICSEARCH_URL is set (each test gets its own alias, deleted afterwards).
"""

import os
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from search.backends.database import DatabaseBackend
from search.models import SearchSynonym
from tests.factories import make_region_tree, make_seller, make_seller_product

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")


def _elasticsearch_backend(request):
    url = os.environ.get("ELASTICSEARCH_URL") or settings.ELASTICSEARCH_URL
    if not url:
        pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch server to run the contract suite against")
    try:
        from search.backends.elasticsearch import ElasticsearchBackend
    except ImportError as error:  # pragma: no cover - depends on the installed client
        pytest.skip(f"The Elasticsearch backend cannot be imported: {error}")
    backend = ElasticsearchBackend(url, alias=f"test-products-{uuid.uuid4().hex[:12]}")
    if not backend.ping():
        pytest.fail(f"ELASTICSEARCH_URL is set but {url} does not answer")

    def delete_indices():
        backend.client.indices.delete(index=f"{backend.alias}*", ignore_unavailable=True, allow_no_indices=True)

    request.addfinalizer(delete_indices)
    return backend


class PortableDatabaseBackend(DatabaseBackend):
    """The database backend on its SQLite code path (substring matching, no full-text search or trigrams).

    The demo runs it on SQLite; here it runs on the suite's PostgreSQL, so every contract case
    checks the portable path too (its matching is plain Django lookups, the same SQL on both).
    """

    @property
    def is_postgresql(self) -> bool:
        return False


@pytest.fixture(
    params=[
        pytest.param("database", id="database"),
        pytest.param("database-portable", id="database-portable"),
        pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.elasticsearch),
    ]
)
def search_backend(request, db):
    if request.param == "database":
        return DatabaseBackend()
    if request.param == "database-portable":
        return PortableDatabaseBackend()
    return _elasticsearch_backend(request)


def reindex(backend, product_ids=None) -> None:
    """Bring the backend up to date with the database and make the changes visible to searches."""
    sync_synonyms = getattr(backend, "sync_synonyms", None)
    if sync_synonyms is not None:
        sync_synonyms()
    if product_ids is None:
        backend.rebuild(batch_size=3)  # small batches, so paging through ids is exercised too
    else:
        backend.index_products(product_ids)
    refresh = getattr(backend, "refresh", None)
    if refresh is not None:
        refresh()


@dataclass
class World:
    bandung: dict
    tasik: dict
    fashion_seller: object
    food_seller: object
    suspended_seller: object
    kerudung: object
    peci: object
    gamis: object
    keripik_pisang: object
    keripik_singkong: object
    kopi: object
    banned_kerudung: object
    busana_category: object
    kerudung_category: object
    food_category: object


@pytest.fixture
def search_world(db) -> World:
    """Two kabupaten, a fashion and a food pesantren (verified) and a suspended one; nothing indexed yet."""
    SearchSynonym.objects.get_or_create(terms="kerudung, jilbab, hijab")
    bandung = make_region_tree("32.04", "Kabupaten Bandung")
    tasik = make_region_tree("32.06", "Kabupaten Tasikmalaya")
    fashion = make_seller(name="Pondok Pesantren Al-Ikhlas", slug="al-ikhlas", regions=tasik, sector="fashion")
    food = make_seller(name="Pesantren Daarut Tauhiid", slug="daarut-tauhiid", regions=bandung, sector="food")
    suspended = make_seller(name="Pesantren Terlarang", slug="terlarang", regions=bandung, sector="fashion")

    kerudung_category = create_from_breadcrumbs("Busana Muslim > Kerudung")
    busana_category = Category.objects.get(depth=1, name="Busana Muslim")
    food_category = create_from_breadcrumbs("Makanan")

    def product(seller, title, price, stock, category, **fields):
        item = make_seller_product(seller, title=title, price=price, stock=stock, **fields)
        ProductCategory.objects.create(product=item, category=category)
        return item

    world = World(
        bandung=bandung,
        tasik=tasik,
        fashion_seller=fashion,
        food_seller=food,
        suspended_seller=suspended,
        kerudung=product(fashion, "Kerudung Segi Empat Voal", "45000", 10, kerudung_category),
        peci=product(fashion, "Peci Rajut Hitam", "35000", 4, busana_category),
        gamis=product(fashion, "Gamis Katun Anak", "120000", 0, busana_category),
        keripik_pisang=product(
            food, "Keripik Pisang Manis", "18000", 5, food_category, halal_number="ID32110000123450823"
        ),
        keripik_singkong=product(
            food, "Keripik Singkong Pedas", "12000", 0, food_category, halal_number="ID32110000123450824"
        ),
        kopi=product(food, "Kopi Robusta Gunung Puntang", "60000", 7, food_category),
        banned_kerudung=product(suspended, "Kerudung Instan Terlarang", "30000", 9, kerudung_category),
        busana_category=busana_category,
        kerudung_category=kerudung_category,
        food_category=food_category,
    )
    from sellers.services import seller_suspend

    seller_suspend(seller=suspended, suspended_by=None, reason="Laporan pembeli")
    world.suspended_seller.refresh_from_db()
    return world
