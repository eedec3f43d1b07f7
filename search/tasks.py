from celery import shared_task

from core import outbox
from search.services import search_index_products

# A task indexes at most this many products, then queues the rest, so one huge change stays
# a series of short tasks.
TASK_BATCH_SIZE = 500


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, retry_backoff_max=300, max_retries=8)
def index_products(product_ids: list[int]) -> int:
    """Re-read and (re)index these products in the active backend; products that are gone are removed.

    Safe to run twice: indexing is an upsert of the current state.
    """
    ids = sorted({int(pk) for pk in product_ids})
    batch, rest = ids[:TASK_BATCH_SIZE], ids[TASK_BATCH_SIZE:]
    indexed = search_index_products(batch)
    if rest:
        outbox.enqueue(index_products, rest)
    return indexed


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, retry_backoff_max=300, max_retries=8)
def sync_synonyms() -> None:
    """Push the synonym groups to a backend that keeps its own copy (Elasticsearch's synonym set).

    The database backend reads them at query time and needs nothing.
    """
    from search.backends import get_backend

    sync = getattr(get_backend(), "sync_synonyms", None)
    if sync is not None:
        sync()
