"""Oscar's product-view analytics, buffered: a view costs the request one push to Redis, and a beat task
(catalogue.tasks.flush_product_views) writes a minute's views at once.

Oscar writes three rows per view inside the request (the product's count, the visitor's count and a
product-view row), and every visitor of a popular product updates the same row. Here a batch is
written in one transaction: one update per product and per visitor, the view rows in one insert.

A view is counted at most once: a batch is taken from the list atomically, and put back if writing it
fails. Views pushed while Redis is down are dropped; without Redis (the demo's memory cache) a view is
written at once.
"""

import json
import logging
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import Case, F, Value, When
from oscar.core.loading import get_model

from core.breaker import Breaker
from core.cache import UNAVAILABLE_ERRORS

logger = logging.getLogger(__name__)

Product = get_model("catalogue", "Product")
ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")

PENDING_KEY = "catalogue:product-views"
FLUSH_BATCH_SIZE = 5_000
# An unreachable Redis would make every product page wait for its socket timeout.
_breaker = Breaker(pause_seconds=5)


def record_view(*, product_id: int, user_id: int | None = None) -> None:
    """Count one view of the product (and by the user, when signed in)."""
    client, key = pending_list()
    if client is None:
        write_views([(int(product_id), user_id)])
        return
    if _breaker.is_open(key):
        return
    try:
        client.rpush(key, json.dumps([int(product_id), user_id]))
    except UNAVAILABLE_ERRORS as error:
        _breaker.trip(key)
        logger.warning("Product views not counted for a few seconds, Redis unavailable: %s", error)


def flush_views(*, batch_size: int = FLUSH_BATCH_SIZE) -> int:
    """Write every buffered view; returns how many were written."""
    client, key = pending_list()
    if client is None:
        return 0
    written = 0
    while True:
        with client.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, batch_size - 1)
            pipe.ltrim(key, batch_size, -1)
            taken, _trimmed = pipe.execute()
        if not taken:
            return written
        try:
            write_views([tuple(json.loads(raw)) for raw in taken])
        except Exception:
            client.lpush(key, *reversed(taken))  # back at the head, in their order, for the next run
            raise
        written += len(taken)
        if len(taken) < batch_size:
            return written


def write_views(views: list[tuple[int, int | None]]) -> None:
    """Write (product_id, user_id or None) views; those of products or users deleted since are dropped.

    A fixed number of queries whatever the batch: the counters are created where missing in one insert
    per table and raised in one update per table.
    """
    product_ids = set(Product.objects.filter(pk__in={product for product, _user in views}).values_list("pk", flat=True))
    views = [(product, user) for product, user in views if product in product_ids]
    user_ids = {user for _product, user in views if user is not None}
    user_ids = set(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True))
    signed_in = [(product, user) for product, user in views if user in user_ids]
    with transaction.atomic():
        _add_counts(ProductRecord, "product_id", "num_views", Counter(product for product, _user in views))
        _add_counts(UserRecord, "user_id", "num_product_views", Counter(user for _product, user in signed_in))
        UserProductView.objects.bulk_create(
            UserProductView(product_id=product, user_id=user) for product, user in signed_in
        )


def _add_counts(model, key: str, field: str, counts: Counter) -> None:
    if not counts:
        return
    model.objects.bulk_create((model(**{key: pk}) for pk in sorted(counts)), ignore_conflicts=True)
    raised_by = Case(*(When(**{key: pk}, then=Value(count)) for pk, count in counts.items()), default=Value(0))
    model.objects.filter(**{f"{key}__in": counts}).update(**{field: F(field) + raised_by})


def pending_list():
    """The Redis client and key of the buffer, or (None, None) when the cache is not Redis."""
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None, None
    key = cache.make_key(PENDING_KEY)
    return cache._cache.get_client(key, write=True), key
