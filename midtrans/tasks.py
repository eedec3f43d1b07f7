"""Background work of Midtrans payments. Tasks take ids or order ids, re-read state and are safe to run twice."""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core import outbox
from midtrans.client import MidtransUnavailable
from midtrans.models import MidtransRefund, MidtransRefundStatus
from midtrans.services import charges_to_reconcile, midtrans_refund_finish, notification_process, sync_charge

logger = logging.getLogger(__name__)
RETRY = {
    "autoretry_for": (MidtransUnavailable, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_kwargs": {"max_retries": 8},
}


@shared_task(**RETRY)
def process_midtrans_notification(notification_id: int) -> str:
    """Re-check the status a stored notification points at and apply it."""
    return notification_process(notification_id=notification_id)


@shared_task(**RETRY)
def sync_midtrans_charge(midtrans_order_id: str) -> None:
    sync_charge(midtrans_order_id=midtrans_order_id)


@shared_task
def reconcile_midtrans_charges(older_than_minutes: int | None = None) -> int:
    """Beat job for lost notifications: ask Midtrans for the status of every charge still open after
    N minutes (`MARKETPLACE_MIDTRANS_RECONCILE_AFTER_MINUTES`), one idempotent task each. A charge
    past its expiry comes back expired, which cancels its order and releases the stock."""
    minutes = (
        older_than_minutes if older_than_minutes is not None else settings.MARKETPLACE_MIDTRANS_RECONCILE_AFTER_MINUTES
    )
    order_ids = charges_to_reconcile(older_than_minutes=minutes)
    for midtrans_order_id in order_ids:
        outbox.enqueue(sync_midtrans_charge, midtrans_order_id)
    return len(order_ids)


@shared_task(**RETRY)
def finish_midtrans_refund(refund_id: int) -> None:
    midtrans_refund_finish(refund_id=refund_id)


@shared_task
def finish_pending_midtrans_refunds(older_than_minutes: int = 5) -> int:
    """Ask Midtrans again for direct refunds recorded but never answered; the refund key returns the same refund."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    refund_ids = list(
        MidtransRefund.objects.filter(status=MidtransRefundStatus.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for refund_id in refund_ids:
        outbox.enqueue(finish_midtrans_refund, refund_id)
    return len(refund_ids)
