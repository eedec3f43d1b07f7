"""Oscar's product-view analytics, counted by a task outside the request."""

import uuid

import pytest
from django.test import Client
from oscar.core.loading import get_model

from catalogue.tasks import record_product_view
from tests.factories import make_seller, make_seller_product, make_user
from tests.fixtures.local_servers import free_port
from tests.fixtures.redis_server import celery_broker

pytestmark = pytest.mark.django_db

ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")


@pytest.fixture
def product():
    return make_seller_product(make_seller(), title="Kopi Arabika Garut")


def test_a_signed_in_visitors_view_is_counted_for_the_product_and_the_visitor(product):
    visitor = make_user()
    client = Client()
    client.force_login(visitor)

    client.get(product.get_absolute_url())
    client.get(product.get_absolute_url())

    assert ProductRecord.objects.get(product=product).num_views == 2
    assert UserRecord.objects.get(user=visitor).num_product_views == 2
    assert UserProductView.objects.filter(user=visitor, product=product).count() == 2


def test_an_anonymous_view_counts_for_the_product_only(product):
    Client().get(product.get_absolute_url())

    assert ProductRecord.objects.get(product=product).num_views == 1
    assert not UserProductView.objects.exists()


def test_a_redelivered_task_counts_the_view_once(product):
    visitor = make_user()
    task_id = str(uuid.uuid4())

    record_product_view.apply(args=[product.pk, visitor.pk], task_id=task_id)
    record_product_view.apply(args=[product.pk, visitor.pk], task_id=task_id)

    assert ProductRecord.objects.get(product=product).num_views == 1
    assert UserRecord.objects.get(user=visitor).num_product_views == 1
    assert UserProductView.objects.count() == 1


def test_a_view_of_a_product_deleted_since_counts_nothing_and_fails_nothing(product):
    gone = product.pk
    product.delete()

    result = record_product_view.apply(args=[gone, None])

    assert result.successful()
    assert not ProductRecord.objects.exists()


def test_the_product_page_answers_while_the_broker_is_down_and_the_view_is_dropped(product):
    from marketplace.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with celery_broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
            response = Client().get(product.get_absolute_url())
    finally:
        app.conf.task_always_eager = previous

    assert response.status_code == 200
    assert not ProductRecord.objects.exists()
