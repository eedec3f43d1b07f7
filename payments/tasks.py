"""Background reconciliation with Stripe, for webhooks that never arrived."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from core import outbox
from payments.models import CardPayment, CardRefund, CardRefundStatus, PaymentIntentStatus
from payments.services import PaymentProviderUnavailable, card_refund_finish, sync_payment_intent

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(PaymentProviderUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_kwargs={"max_retries": 8},
)
def sync_payment_intent_task(payment_intent_id: str) -> None:
    sync_payment_intent(payment_intent_id=payment_intent_id)


@shared_task
def reconcile_card_payments(older_than_minutes: int = 10) -> int:
    """Re-fetch card attempts whose order still waits for payment after a while.

    Stripe retries webhooks for days, but a lost delivery (or localstripe, which never retries)
    would otherwise leave a paid order pending until it expires. Safe to run at any interval.
    """
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    payment_intent_ids = list(
        CardPayment.objects.filter(
            created_at__lt=cutoff,
            order__status="Pending payment",
            status__in=[
                PaymentIntentStatus.SUCCEEDED,
                PaymentIntentStatus.PROCESSING,
                PaymentIntentStatus.REQUIRES_ACTION,
            ],
        )
        .exclude(payment_intent_id="")
        .values_list("payment_intent_id", flat=True)
    )
    for payment_intent_id in payment_intent_ids:
        outbox.enqueue(sync_payment_intent_task, payment_intent_id)
    return len(payment_intent_ids)


@shared_task(
    autoretry_for=(PaymentProviderUnavailable,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_kwargs={"max_retries": 8},
)
def finish_card_refund(card_refund_id: int) -> None:
    card_refund_finish(card_refund_id=card_refund_id)


@shared_task
def finish_pending_card_refunds(older_than_minutes: int = 5) -> int:
    """Ask Stripe again for card refunds recorded but never answered (Stripe was down, or the
    process died between the commit and the call). The idempotency key returns the same refund."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    card_refund_ids = list(
        CardRefund.objects.filter(status=CardRefundStatus.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)
    )
    for card_refund_id in card_refund_ids:
        outbox.enqueue(finish_card_refund, card_refund_id)
    return len(card_refund_ids)
