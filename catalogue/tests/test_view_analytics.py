"""Oscar's product-view analytics, counted in Redis by the request and written by a task."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalogue import view_counts
from catalogue.tasks import flush_product_views
from tests.factories import make_seller, make_seller_product, make_user

pytestmark = pytest.mark.django_db

ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")


@pytest.fixture(autouse=True)
def empty_buffer():
    client, key = view_counts.pending_list()
    client.delete(key)
    yield
    client.delete(key)


@pytest.fixture
def product():
    return make_seller_product(make_seller(), title="Kopi Arabika Garut")


def test_views_are_written_by_the_task_for_the_product_and_the_signed_in_visitor(product):
    visitor = make_user()
    signed_in = Client()
    signed_in.force_login(visitor)

    signed_in.get(product.get_absolute_url())
    signed_in.get(product.get_absolute_url())
    Client().get(product.get_absolute_url())
    assert not ProductRecord.objects.exists()  # nothing written by the requests

    assert flush_product_views.apply().get() == 3

    assert ProductRecord.objects.get(product=product).num_views == 3
    assert UserRecord.objects.get(user=visitor).num_product_views == 2
    assert UserProductView.objects.filter(user=visitor, product=product).count() == 2


def test_a_batch_is_written_in_a_fixed_number_of_queries_whatever_its_size(product):
    other = make_seller_product(make_seller(), title="Madu Hutan")
    visitors = [make_user() for _ in range(3)]
    for visitor in visitors:
        for viewed in (product, other):
            view_counts.record_view(product_id=viewed.pk, user_id=visitor.pk)

    with CaptureQueriesContext(connection) as queries:
        view_counts.flush_views()

    # existence checks (2); per counter table, the missing rows created and all raised (2 × 2); the view
    # rows in one insert; the transaction's savepoint and its release
    assert len(queries) == 2 + 2 * 2 + 1 + 2
    assert ProductRecord.objects.get(product=other).num_views == 3
    assert UserProductView.objects.count() == 6


def test_flushing_twice_writes_each_view_once(product):
    view_counts.record_view(product_id=product.pk)

    assert view_counts.flush_views() == 1
    assert view_counts.flush_views() == 0

    assert ProductRecord.objects.get(product=product).num_views == 1


def test_views_of_a_product_or_user_deleted_since_are_dropped(product):
    visitor = make_user()
    kept = make_seller_product(make_seller(), title="Sabun Sereh")
    view_counts.record_view(product_id=product.pk, user_id=visitor.pk)
    view_counts.record_view(product_id=kept.pk, user_id=visitor.pk)
    product.delete()
    visitor.delete()

    assert view_counts.flush_views() == 2

    assert list(ProductRecord.objects.values_list("product_id", "num_views")) == [(kept.pk, 1)]
    assert not UserProductView.objects.exists()


def test_a_batch_that_fails_to_write_is_put_back_in_its_order(product, monkeypatch):
    first, second = product, make_seller_product(make_seller(), title="Kerupuk Kulit")
    view_counts.record_view(product_id=first.pk)
    view_counts.record_view(product_id=second.pk)

    def fail(views):
        raise RuntimeError("database went away")

    monkeypatch.setattr(view_counts, "write_views", fail)
    with pytest.raises(RuntimeError):
        view_counts.flush_views(batch_size=10)
    monkeypatch.undo()
    client, key = view_counts.pending_list()
    assert [view[:2] for view in map(view_counts.json.loads, client.lrange(key, 0, -1))] == [
        [first.pk, None],
        [second.pk, None],
    ]

    assert view_counts.flush_views() == 2


def test_without_redis_a_view_is_written_at_once(product, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches._settings = None  # the handler re-reads CACHES
    try:
        Client().get(product.get_absolute_url())
    finally:
        del settings.CACHES
        caches._settings = None

    assert ProductRecord.objects.get(product=product).num_views == 1


def test_the_product_page_answers_while_redis_is_down_and_the_view_is_dropped(product, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    class DownRedis:
        def rpush(self, *args):
            raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(view_counts, "pending_list", lambda: (DownRedis(), "views-down-test"))

    response = Client().get(product.get_absolute_url())

    assert response.status_code == 200
    monkeypatch.undo()
    assert view_counts.flush_views() == 0
