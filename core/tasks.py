from datetime import timedelta

from celery import shared_task
from django.conf import settings

from core import outbox


@shared_task
def relay_outbox(min_age_seconds: float = outbox.RELAY_MIN_AGE_SECONDS) -> int:
    """Beat, every minute: send the outbox rows the broker refused while it was down."""
    return outbox.relay(min_age_seconds=min_age_seconds)


@shared_task
def purge_outbox() -> int:
    """Daily: forget rows dispatched long ago."""
    return outbox.purge(older_than=timedelta(days=settings.MARKETPLACE_OUTBOX_KEEP_DAYS))
