"""Keeping the search index in step with the catalogue.

Changes are collected per transaction and sent as ONE Celery task when it commits, so a request
that saves a product, its stock record and its categories indexes that product once, and nothing
is indexed for a transaction that rolls back.
"""

import threading
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from core import outbox, page_cache

_local = threading.local()


def search_queue_products(product_ids: Iterable[int | None], *, using: str | None = None) -> None:
    """Index these products after the current transaction commits (at once outside a transaction)."""
    ids = {int(pk) for pk in product_ids if pk}
    if not ids:
        return
    connection = transaction.get_connection(using)
    if not getattr(settings, "MARKETPLACE_SEARCH_INDEX_ON_COMMIT", True):
        # Tests that run inside one rolled-back transaction index at once (tests/fixtures/search_index.py).
        from search.tasks import index_products

        index_products.delay(sorted(ids))
        return
    if not connection.in_atomic_block:
        _enqueue(ids)
        return
    # After a rollback our callback is gone from the connection: start a fresh batch.
    if getattr(_local, "pending", None) is None or not _flush_is_registered(connection):
        _local.pending = set()
        transaction.on_commit(_flush, using=using)
    _local.pending |= ids


def _flush_is_registered(connection) -> bool:
    return any(callback[1] is _flush for callback in connection.run_on_commit)


def _flush() -> None:
    ids, _local.pending = getattr(_local, "pending", None), None
    if ids:
        _enqueue(ids)


def _enqueue(ids: set[int]) -> None:
    # Through the outbox, so the task survives a broker outage. After the commit, not in it: a crash
    # in between leaves these products indexed as they were until their next change or a rebuild.
    from search.tasks import index_products

    outbox.enqueue(index_products, sorted(ids))


def search_index_products(product_ids: Iterable[int]) -> int:
    from search.backends import get_backend

    indexed = get_backend().index_products(product_ids)
    page_cache.bump()  # the listings' order, facets and totals may have changed
    return indexed


def search_rebuild(*, batch_size: int = 1000, progress=None) -> int:
    from search.backends import get_backend

    indexed = get_backend().rebuild(batch_size=batch_size, progress=progress)
    page_cache.bump()
    return indexed
