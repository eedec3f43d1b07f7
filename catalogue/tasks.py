from celery import shared_task

from catalogue import view_counts


@shared_task
def flush_product_views() -> int:
    """Write the buffered product views (catalogue/view_counts.py). Beat runs it every minute; two runs
    at once take different views."""
    return view_counts.flush_views()
