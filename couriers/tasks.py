"""Background steps of couriers. Each takes ids, re-reads state and is safe to run twice."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core import outbox
from core.notifications import send_once, send_templated_email
from couriers.models import TRACKING_LABELS, Shipment
from couriers.providers.base import ProviderError
from couriers.selectors import quiet_shipment_ids
from couriers.services import shipment_refresh_tracking

logger = logging.getLogger(__name__)


@shared_task
def poll_quiet_shipments() -> int:
    """Beat job: ask the aggregator about shipments whose webhooks went quiet, one task each."""
    before = timezone.now() - timedelta(hours=settings.MARKETPLACE_COURIER_QUIET_HOURS)
    shipment_ids = quiet_shipment_ids(before=before)
    for shipment_id in shipment_ids:
        outbox.enqueue(refresh_shipment_tracking, shipment_id)
    return len(shipment_ids)


@shared_task(
    autoretry_for=(ProviderError, OSError), retry_backoff=True, retry_backoff_max=600, retry_kwargs={"max_retries": 5}
)
def refresh_shipment_tracking(shipment_id: int) -> str:
    """Fetch one shipment's tracking and apply it (events are stored once; the part only moves forward)."""
    shipment = shipment_refresh_tracking(shipment_id=shipment_id)
    return shipment.provider_status if shipment is not None else ""


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, retry_kwargs={"max_retries": 8})
def send_tracking_email(shipment_id: int, attempt: int, status: str) -> bool:
    """Tell the buyer their parcel's new tracking status: once per shipment, booking and status.

    Webhook replays and polls that repeat a status queue nothing new, and a task run twice sends
    once (`core.notifications.send_once`)."""
    shipment = (
        Shipment.objects.select_related("seller_order__order", "seller_order__seller")
        .filter(pk=shipment_id, attempt=attempt)
        .first()
    )
    if shipment is None or status not in TRACKING_LABELS:
        return False
    order = shipment.seller_order.order
    if not order.email:
        return False
    context = {
        "shipment": shipment,
        "seller_order": shipment.seller_order,
        "order": order,
        "label": TRACKING_LABELS[status],
    }
    return send_once(
        key=f"courier-tracking-{shipment_id}-{attempt}-{status}",
        send=lambda: send_templated_email("couriers/emails/tracking_update", context, [order.email]),
    )
