from datetime import timedelta

from celery import shared_task
from django.conf import settings

from api.services import idempotent_requests_purge


@shared_task
def purge_idempotent_requests() -> int:
    """Daily: drop the stored answers of Idempotency-Keys once no client could still be retrying."""
    return idempotent_requests_purge(older_than=timedelta(days=settings.MARKETPLACE_API_IDEMPOTENCY_DAYS))
